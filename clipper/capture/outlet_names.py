"""Known outlets and news agencies: their names as texts write them, and their sites.

A small table, precision first: an outlet is only read from a text's words when the name is
one of these (or stands in a dateline, a `Source:` line or a signature), never guessed from
capitalised words, which are as often a company, a ministry or a person.
"""

from __future__ import annotations

# Sites whose name is not simply their domain.
SITE_NAMES = {
    "news.az": "News.Az", "report.az": "Report.az", "apa.az": "APA", "azertag.az": "AZERTAC",
    "trend.az": "Trend", "en.trend.az": "Trend", "turan.az": "Turan", "reuters.com": "Reuters",
    "apnews.com": "AP", "ap.org": "AP", "afp.com": "AFP", "bbc.co.uk": "BBC News",
    "bbc.com": "BBC News", "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post", "theguardian.com": "The Guardian",
    "wsj.com": "The Wall Street Journal", "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg", "cnn.com": "CNN", "aljazeera.com": "Al Jazeera",
    "dw.com": "DW", "france24.com": "France 24", "euronews.com": "Euronews",
    "politico.com": "Politico", "politico.eu": "Politico Europe", "economist.com": "The Economist",
    "npr.org": "NPR", "latimes.com": "Los Angeles Times", "spiegel.de": "Der Spiegel",
    "zeit.de": "Die Zeit", "faz.net": "FAZ", "lemonde.fr": "Le Monde", "elpais.com": "El País",
    "tass.com": "TASS", "tass.ru": "TASS", "interfax.ru": "Interfax", "xinhuanet.com": "Xinhua",
    "dawn.com": "Dawn", "aa.com.tr": "Anadolu Agency", "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph", "theverge.com": "The Verge", "axios.com": "Axios",
    "cbsnews.com": "CBS News", "nbcnews.com": "NBC News", "foxnews.com": "Fox News",
    "usatoday.com": "USA Today", "cnbc.com": "CNBC", "thehill.com": "The Hill",
    "nypost.com": "New York Post", "wired.com": "Wired", "sky.com": "Sky News",
    "rt.com": "RT", "sputniknews.com": "Sputnik", "newsweek.com": "Newsweek",
    "forbes.com": "Forbes", "businessinsider.com": "Business Insider",
    "techcrunch.com": "TechCrunch", "vox.com": "Vox", "slate.com": "Slate",
    "thesun.co.uk": "The Sun", "express.co.uk": "Daily Express", "jpost.com": "The Jerusalem Post",
    "deccanherald.com": "Deccan Herald", "sfgate.com": "SFGATE", "ctvnews.ca": "CTV News",
    "yonhapnews.co.kr": "Yonhap", "kyodonews.net": "Kyodo", "efe.com": "EFE",
    "ansa.it": "ANSA", "dpa.com": "dpa", "ria.ru": "RIA Novosti", "upi.com": "UPI",
}  # fmt: skip
# Names that texts use for an outlet: "told Reuters", "(AP) -", "according to Xinhua".
AGENCIES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "bloomberg": "Bloomberg",
    "bbc": "BBC News", "bbc news": "BBC News", "bbc news online": "BBC News",
    "bbc news website": "BBC News", "bbc sport": "BBC Sport", "bbc sport website": "BBC Sport",
    "cnn": "CNN", "dpa": "dpa", "efe": "EFE",
    "ansa": "ANSA", "tass": "TASS", "ria novosti": "RIA Novosti", "interfax": "Interfax",
    "xinhua": "Xinhua", "kyodo": "Kyodo", "kyodo news": "Kyodo", "yonhap": "Yonhap",
    "pti": "PTI", "ians": "IANS", "anadolu": "Anadolu Agency", "anadolu agency": "Anadolu Agency",
    "apa": "APA", "azertac": "AZERTAC", "trend": "Trend", "turan": "Turan", "report": "Report.az",
    "sputnik": "Sputnik", "al jazeera": "Al Jazeera", "upi": "UPI", "nhk": "NHK", "npr": "NPR",
    "news.az": "News.Az", "report.az": "Report.az", "apa.az": "APA", "trend.az": "Trend",
    "axios": "Axios", "politico": "Politico", "the guardian": "The Guardian",
    "guardian": "The Guardian", "new york times": "The New York Times",
    "washington post": "The Washington Post", "wall street journal": "The Wall Street Journal",
    "financial times": "Financial Times", "the times": "The Times", "daily telegraph":
    "The Telegraph", "the telegraph": "The Telegraph", "the independent": "The Independent",
    "sky news": "Sky News", "cnbc": "CNBC", "cbs news": "CBS News", "nbc news": "NBC News",
    "abc news": "ABC News", "fox news": "Fox News", "itv news": "ITV News", "euronews": "Euronews",
    "dw": "DW", "deutsche welle": "DW", "france 24": "France 24", "rfe/rl": "RFE/RL",
    "radio free europe": "RFE/RL", "voice of america": "VOA", "voa": "VOA",
}  # fmt: skip
