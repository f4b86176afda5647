"""Stopwords by language: words too common to tell clippings apart, left out of the ranking.

Short lists on purpose (articles, pronouns, prepositions, conjunctions, auxiliaries), close to
the Snowball and Lucene lists: a word that carries meaning in news ("new", "said", "first")
stays. They are written as people spell them and folded when used.
"""

from __future__ import annotations

STOPWORDS: dict[str, str] = {
    "en": """a an and are as at be been being but by can could did do does for from had has
        have he her hers him his how i if in into is it its me my no nor not of on or our ours
        she so such than that the their theirs them then there these they this those to too us
        was we were what when where which while who whom why will with would you your yours""",
    "de": """aber als am an auch auf aus bei bin bis bist da damit dann das dass dem den denn
        der des die dies diese diesem diesen dieser dieses doch du durch ein eine einem einen
        einer eines er es für hat hatte ich ihr ihre im in ist ja kein keine mit nach nicht noch
        nur ob oder sein seine sich sie sind so über um und uns unter vom von vor war waren
        was weil wenn wer wie wir wird wo zu zum zur""",
    "fr": """à au aux avec ce ces dans de des du elle elles en et eux il ils je la le les leur
        leurs lui ma mais me mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se
        ses son sur ta te tes toi ton tu un une vos votre vous est sont été être ont""",
    "es": """a al algo como con de del el ella ellas ellos en entre era es esta este esto ha
        han la las le les lo los más me mi mis muy no nos o para pero por que se ser si sin
        sobre su sus también te tu un una uno y ya yo está están fue son""",
    "it": """a ad al alla alle anche che chi ci come con da dal dalla degli dei del della delle
        di e gli ha hanno i il in io la le lei li lo loro lui ma mi ne nei nel nella noi non o
        per più quale quando questa questo se si sono su sua sue suo tra un una uno è""",
    "pt": """a ao aos as com como da das de do dos e ela elas ele eles em entre era essa esse
        está foi há isso isto já mais mas me na nas não no nos o os ou para pela pelo por que
        se sem ser seu seus sua suas são também te um uma é""",
    "nl": """aan al als bij dat de den der die dit door een en er had heb hem het hij hoe
        hun ik in is je maar me met mij na naar niet of om ons ook op over te tot u uit van
        voor was wat we wel wie zich zij zijn zo""",
    "ru": """а без бы был была были было в вам вас весь во вот все всё вы где да для до его
        ее её если есть еще ещё же за и из или им их к как ко когда кто ли меня мне мы на над
        не него нее неё нет ни них но ну о об он она они оно от по под при с со так также там
        то того тоже только том ты у уже чем что чтобы эта эти это я""",
    "tr": """ama ancak bir biz bu da daha de diye en gibi hem her için ile ise kadar ki mi mu
        mı mü ne o olan olarak on onu ve veya ya şu çok""",
    "az": """amma bir biz bu da daha də hər ilə isə kimi ki o olan olaraq onun və ya üçün çox
        ən""",
}
