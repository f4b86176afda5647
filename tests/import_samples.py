"""Small import files written for the tests: one per source format, a few records each."""

# ruff: noqa: E501 (the files keep the long lines real exports have)

from __future__ import annotations

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Portmere Courier</title>
  <link>https://courier.example/</link>
  <language>en-gb</language>
  <item>
    <title>Harbour bridge reopens after repairs</title>
    <link>https://courier.example/news/bridge?utm_source=rss</link>
    <description>&lt;p&gt;The harbour bridge reopened on Monday.&lt;/p&gt;&lt;p&gt;Traffic is light.&lt;/p&gt;</description>
    <pubDate>Thu, 23 Feb 2023 10:15:00 +0000</pubDate>
    <dc:creator>Ann Reporter</dc:creator>
    <category>Transport</category>
  </item>
  <item>
    <title>Council approves budget</title>
    <link>https://courier.example/news/budget</link>
    <pubDate>mer, 22 feb 2023 09:00:00 +0100</pubDate>
  </item>
  <item>
    <description>An item with only a description, no title and no link.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Beispiel Zeitung</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2023-03-01T12:00:00Z</updated>
  <entry>
    <title type="html">Stadtrat &lt;b&gt;beschließt&lt;/b&gt; Haushalt</title>
    <link href="https://zeitung.example/haushalt"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2023-03-01T11:00:00Z</updated>
    <author><name>Jörg Müller</name></author>
    <content type="html">&lt;p&gt;Der Stadtrat hat den Haushalt beschlossen.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content>
  </entry>
  <entry>
    <title>Zweiter Artikel</title>
    <link href="https://zeitung.example/zwei"/>
    <id>urn:uuid:2225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2023-02-28T08:30:00+01:00</published>
    <summary>Kurzfassung des zweiten Artikels.</summary>
  </entry>
</feed>
"""

JSON_FEED = """{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Daily Example &amp; Co",
  "home_page_url": "https://daily.example/",
  "items": [
    {"id": "1", "url": "https://daily.example/one", "title": "First story",
     "content_text": "The first story's text.", "date_published": "2023-02-21T09:00:00Z",
     "authors": [{"name": "Bo Writer"}], "tags": ["Politics", "region/Azerbaijan"]},
    {"id": "2", "url": "https://daily.example/two", "title": "Second story",
     "content_html": "<p>Second <em>story</em>.</p>", "date_published": "Tue, 21 Feb 2023 10:00:00 -0700"},
    "not an item"
  ]
}
"""

BROKEN_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Cut short</title><description>Nothing more
"""

NETSCAPE = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1676000000" PERSONAL_TOOLBAR_FOLDER="true">Bookmarks bar</H3>
    <DL><p>
        <DT><A HREF="https://news.example/a" ADD_DATE="1677142800" TAGS="press,Azerbaijan">Story A &amp; more</A>
        <DD>A description of story A.
        <DT><H3 ADD_DATE="1676000000">Press / Reviews</H3>
        <DL><p>
            <DT><A HREF="https://news.example/b" ADD_DATE="1677229200000">Story B</A>
        </DL><p>
    </DL><p>
    <DT><A HREF="place:sort=8&amp;maxResults=10">Recently visited</A>
    <DT><A HREF="https://news.example/c">Story C</A>
</DL><p>
"""

POCKET_HTML = """<!DOCTYPE html>
<html>
<head><title>Pocket Export</title></head>
<body>
<h1>Unread</h1>
<ul>
<li><a href="https://pocket.example/one" time_added="1688628695" tags="ifttt,news">First saved</a></li>
<li><a href="https://pocket.example/two" time_added="1688627412" tags="">Second saved</a></li>
</ul>
<h1>Read Archive</h1>
<ul>
<li><a href="javascript:alert(1)" time_added="1688627000" tags="">Bad link</a></li>
</ul>
</body>
</html>
"""

POCKET_CSV = """title,url,time_added,tags,status
First saved,https://pocket.example/one,1600322788,news|press,unread
"Title, with comma",https://pocket.example/two,1600172739,,archive
No address,not-a-url,1600172700,,unread
"""

WALLABAG_V2 = """[
  {"id": 23, "title": "Wallabag article", "url": "https://wb.example/article",
   "is_archived": false, "is_starred": true, "created_at": "2016-09-08T11:55:58+0200",
   "content": "<div><h2>Heading</h2><p>First paragraph with <a href=\\"x\\">a link</a>.</p><p>Second &amp; last.</p></div>",
   "language": "fr", "tags": ["Media", "blog"],
   "annotations": [{"quote": "First paragraph", "text": "Key point"}]},
  {"id": 24, "title": "Second", "url": "https://wb.example/second", "is_archived": 1,
   "is_starred": 0, "created_at": "2016-09-09T08:00:00+0000", "content": "Plain content.",
   "tags": []},
  {"id": 25, "title": "", "url": "", "is_archived": 0, "is_starred": 0, "content": "", "tags": []}
]
"""

WALLABAG_V1 = """[
  {"id": "1", "title": "Old wallabag", "url": "http://wb1.example/post", "is_read": "0",
   "is_fav": "1", "content": "<p>Version one content.</p>", "user_id": "1", "tags": "one,two"}
]
"""

TABLE = """Headline,Link,Body,Outlet,Tags,Date,Author,Comment
Harbour news,https://table.example/1,The harbour text.,Portmere Courier,transport; local,2023-02-23,Ann Reporter,my note
Budget news,https://table.example/2,The budget text.,,politics,23/02/2023 nonsense,,
,https://table.example/3,,,,,,
"""
