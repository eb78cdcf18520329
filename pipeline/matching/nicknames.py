"""Short forms of first names, English and Turkish, mapped to the formal names they stand for.

Only unambiguous, widely used pairs are listed. Some short forms stand for several names
("Chris" for Christopher or Christine), so a short form maps to a set. Turkish compound names
that are names of their own ("Ayşegül" beside "Ayşe", "Alihan" beside "Ali") are deliberately
absent: they are different people far more often than the same one. Keys and values are
folded (``person.fold``) spellings.
"""

from __future__ import annotations

from functools import lru_cache

_ENGLISH = """
robert: bob bobby rob robbie bert
william: bill billy will willy liam
elizabeth: liz lizzie beth betty bette eliza libby lisa
michael: mike mikey mick mickey
richard: rick ricky dick rich richie
james: jim jimmy jamie
john: jack johnny jon
jonathan: jon jonny
joseph: joe joey
thomas: tom tommy
charles: charlie chuck chaz
edward: ed eddie ted teddy ned
anthony: tony
christopher: chris kit topher
christine: chris chrissy tina
christina: chris tina
daniel: dan danny
david: dave davy
matthew: matt matty
andrew: andy drew
alexander: alex sandy xander
alexandra: alex sandra lexi
nicholas: nick nicky
benjamin: ben benny
samuel: sam sammy
samantha: sam sammy
steven: steve stevie
stephen: steve stevie
timothy: tim timmy
patrick: pat paddy
patricia: pat patty trish
margaret: maggie meg peggy marge greta
katherine: kate katie kathy kat
catherine: cathy cate kate katie
jennifer: jen jenny
jessica: jess jessie
rebecca: becky becca
victoria: vicky tori
susan: sue susie
deborah: deb debbie
barbara: barb babs
henry: hank harry hal
harold: harry hal
frederick: fred freddie
gregory: greg
jeffrey: jeff
kenneth: ken kenny
lawrence: larry
leonard: leo len lenny
raymond: ray
ronald: ron ronnie
donald: don donnie
douglas: doug
eugene: gene
gerald: gerry jerry
peter: pete
philip: phil
phillip: phil
walter: walt wally
zachary: zach zack
nathaniel: nate nat
nathan: nate
abigail: abby
dorothy: dot dottie
mary: molly polly mae
sarah: sally sadie
theodore: ted teddy theo
vincent: vince vinny
"""

_TURKISH = """
mehmet: memo memet mehmed
mustafa: musti mus
huseyin: huso husso
abdullah: apo abdi
fatma: fatos fato
hasan: hasso
ibrahim: ibo
ismail: ismo
suleyman: sulo
abdurrahman: apo
osman: osi
yusuf: yuso
halil: halo
emine: emo
hatice: hatco
muhammed: muhammet
ahmet: ahmed
"""


def _table(text: str) -> dict[str, frozenset[str]]:
    """Short form -> formal names, from ``formal: short short ...`` lines."""
    out: dict[str, set[str]] = {}
    for line in text.strip().splitlines():
        formal, _, shorts = line.partition(":")
        for short in shorts.split():
            out.setdefault(short, set()).add(formal.strip())
    return {k: frozenset(v) for k, v in out.items()}


SHORT_FORMS: dict[str, frozenset[str]] = _table(_ENGLISH) | _table(_TURKISH)


@lru_cache(maxsize=1 << 16)
def formal_names(first: str) -> frozenset[str]:
    """The formal names a folded first name may stand for, itself included.

    ``formal_names("bob") == {"bob", "robert"}``; an unknown name gives ``{name}``. Only the
    first word counts, so "bob j" still finds Robert.
    """
    word = first.split(" ", 1)[0] if first else ""
    return frozenset({word}) | SHORT_FORMS.get(word, frozenset())


@lru_cache(maxsize=1 << 16)
def canonical_first(first: str) -> str:
    """One representative formal name for blocking: the alphabetically first formal form."""
    names = formal_names(first)
    formal = names - {first.split(" ", 1)[0]} if len(names) > 1 else names
    return min(formal) if formal else ""


def are_nicknames(a: str, b: str) -> bool:
    """Whether two different folded first names are a short form and its formal name."""
    if not a or not b or a == b:
        return False
    return not formal_names(a).isdisjoint(formal_names(b))
