"""Hand-written cues for text-dump cleaning, kept as named, ordered data.

Every cue here is a *feature* fed to the learned line model, never a rule that decides a line on
its own: the model weighs it against length, punctuation and context, and it is retrained by
``tools/train_textdump_model.py``. Cues are deliberately small and multilingual; none names a
site, a domain or a phrase of a particular page.
"""

from __future__ import annotations

import re
from typing import Final

# Work done per line is bounded: only this many characters of a line are looked at, so a
# 10 MB "line" costs the same as a long paragraph.
MAX_LINE_CHARS: Final = 2000
# Pages longer than this are cut before feature extraction; later lines are scored as chrome.
MAX_LINES: Final = 20000

# Scripts written without spaces between words (kana, CJK ideographs, half-width katakana);
# Hangul is spaced, so it is left out, as in the benchmark's tokeniser.
CJK_CHARS: Final = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
# A CJK character carries about half a word of text.
CJK_CHARS_PER_WORD: Final = 2.0

# Characters that end a sentence, in the scripts we meet, and the closers that may follow them.
SENTENCE_END: Final = frozenset(".!?。！？…")
TRAILING_CLOSERS: Final = "\"'”’»)]）」』"
COMMAS: Final = frozenset(",;、，；")
# Glue between menu items and breadcrumb parts.
SEPARATORS: Final = frozenset("|»›>•·/‹«→")
BULLET_PREFIXES: Final = ("- ", "• ", "* ", "– ")

# Short function words of the languages we see most: a paragraph of prose is full of them in any
# of these languages, a menu or a headline list much less so.
STOPWORDS: Final = frozenset(
    # en
    "a an the and or but of to in on at for with by from as is are was were be been has have had"
    " it its this that these those he she they we you i his her their our not no said will would"
    " can could there which who what when if than then also into about after over"
    # de
    " der die das und oder aber ein eine einen dem den des ist sind war wurde mit von zu im auf"
    " für nicht sich auch es sie er wir ich dass bei als wie nach aus noch"
    # fr / es / pt / it (shared forms listed once)
    " le la les un une des du et ou mais est sont dans pour par sur avec que qui ce il elle ne pas"
    " el los las y o pero es son en por con que se lo su al del una"
    " o os as e em no na nos nas do da dos das um uma com não para por que se ao foi"
    " il lo gli i e di da in con per che non è sono una un della delle nel alla"
    # ru
    " и в во не что он она они на я с со как а то все так его но да ты к у же вы за бы по её"
    " от из ему было мы при это был была были для или если уже"
    # id
    " dan yang di ke dari ini itu dengan untuk pada adalah tidak akan juga atau dalam oleh"
    " sebagai karena telah bisa ada mereka kami kita saya"
    # nl
    " de het een en van op te dat die niet met zijn voor er maar om ook als aan bij".split()
)

# Lower-cased words typical of page chrome (sharing, accounts, newsletters, legal footers, headline
# lists, comment boxes, counters), matched as whole tokens. Their share of a line's tokens is one
# feature among many; a paragraph that mentions "share" is still judged on everything else.
CHROME_WORDS: Final = frozenset(
    # en
    "share shares shared tweet email print subscribe subscription sign login log newsletter"
    " newsletters rights reserved copyright privacy cookie cookies terms advertisement advertise"
    " ad ads sponsored read more related recommended popular trending comment comments follow"
    " view views click download menu search home next previous prev posted updated published"
    " photo photos image images video videos contact about skip ranking tags tag category"
    " categories archive archives login register account facebook twitter instagram linkedin"
    " whatsapp pinterest youtube reddit rss sitemap careers faq help loading"
    # de
    " teilen anmelden abmelden abonnieren datenschutz impressum weiterlesen werbung kommentar"
    " kommentare startseite suche anzeige mehr"
    # fr / es / pt / it
    " partager connexion abonnez publicité accueil recherche commentaires compartir suscríbete"
    " publicidad inicio buscar comentarios compartilhar compartilhe assine leia notícias"
    " relacionadas busca condividi iscriviti pubblicità commenti cerca leggi"
    # ru
    " поделиться подписаться подписка реклама комментарии войти главная поиск читайте новости"
    # id
    " bagikan baca juga terkait iklan masuk beranda cari komentar berita"
    # ja / ko (as whole tokens: such chrome stands alone on its line)
    " シェア ログイン 関連記事 広告 ランキング ホーム 공유 로그인 관련기사 광고 구독 댓글 홈".split()
)

# Patterns that mark metadata lines: dates and clock times.
# A line is a date line when one of DATE_PATTERNS matches in it. A pattern that opens with a
# character class lets the regex engine skip to where it can start, so "\b\d" (a digit starting a
# word) is written "\d(?<!\w\d)" (a digit with no word character before it), which matches the
# same; the patterns that open with a digit share one scan.
DATE_PATTERNS: Final = (
    re.compile(
        r"\d(?:(?<!\w\d)(?:"
        r"\d{3}[-./]\d{1,2}[-./]\d{1,2}\b"  # 2019-11-05
        r"|\d?[-./]\d{1,2}[-./]\d{2,4}\b"  # 5.11.2019, 11/05/19
        r"|\d?:\d{2}\b)"  # 6:34
        r"|\s?[年月日년월일])"  # 5 月, 3일
    ),
    # "Nov 18", "November 18", "Sept. 3": a capitalised word of 3-9 letters and a day number.
    re.compile(r"[JFMASOND](?<!\w[JFMASOND])[a-z]{2,8}\.?\s\d{1,2}\b"),
)

# Comment threads and reader-reaction widgets: who said it, how long ago, how many replies or votes,
# the box that opens the thread. A body line rarely follows such a line, so besides the flag the
# model sees how many came before a line. Each group is tried only on lines that can match it
# (ending in a colon, holding a digit, short), which keeps the cost per page small.
# "Alex on September 17, 2018 at 6:34 am said:", "3. theprocess12 says:"
COMMENT_ATTRIBUTION: Final = re.compile(
    r"\b(?:said|says|wrote|writes|dice|disse|sagte|schreibt|écrit|написал[аи]?)\s*:$", re.IGNORECASE
)
# "2 days ago", "3 дня назад", "5分前", "3시간 전"; "[ 167 comments ]", "Rating: 25 Votes",
# "12 replies", "3 comentários"; "hace 3 horas", "vor 2 Tagen", "il y a 5 jours". Tried only on
# short lines that hold a digit (every branch needs one). The number is written as in DATE_PATTERNS,
# and taken whole ("*+"): no word after it starts with a digit, a stop, a comma or a space, so
# giving characters of it back could never help a match, only cost time.
COMMENT_COUNTS: Final = (
    re.compile(
        r"\d(?<!\w\d)[\d.,]*+[^\S\n]*+(?:"
        r"(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?)[^\S\n]+ago\b"
        r"|(?:минут|час|дн|дней|недел)\w*[^\S\n]+назад|(?:分|時間|日)前|(?:분|시간|일)[^\S\n]*전"
        r"|comments?|replies|votes?|likes?|comentários|comentarios|commenti|kommentare|commentaires"
        r"|komentar|комментари)",
        re.IGNORECASE,
    ),
    # "\b(?:hace|há|vor|il y a)..." written to open with a character class (see DATE_PATTERNS).
    re.compile(
        r"[hvi](?<!\w.)(?:(?<=h)(?:ace|á)|(?<=v)or|(?<=i)l y a)[^\S\n]+\d+[^\S\n]+\w",
        re.IGNORECASE,
    ),
)
# How a comment box or a comment's buttons start (lower-cased line prefixes).
COMMENT_OPENERS: Final = (
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "join the discussion",
    "join the conversation",
    "top rated comments",
    "show more comments",
    "load more comments",
    "view comments",
    "view all comments",
    "reply",
    "responder",
    "rispondi",
    "antworten",
    "répondre",
    "ответить",
    "balas",
    "report comment",
    "report abuse",
    "comments",
    "kommentare",
    "comentários",
    "comentarios",
    "commentaires",
    "комментарии",
    "komentar",
    "댓글",
    "コメント",
)
# Comment openers and buttons are short lines.
COMMENT_OPENER_MAX_CHARS: Final = 40
