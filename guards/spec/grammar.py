"""The citation grammar as regular expressions, every one linear on any input.

Repetitions are bounded and never nested, digits are ASCII ``[0-9]`` (``\\d`` would accept
fullwidth and other Unicode digits) and nothing is case-folded (``re.I`` would let U+017F,
the long s, stand for ``s``). Each pattern starts with a literal or a small character set, so a
search skips text that cannot start a citation at C speed.
"""

from __future__ import annotations

import re

from guards.spec.numbers import NUMBER

SP = r"[ \t\u00a0]"
NUM = NUMBER + r"(?![0-9A-Za-z_]|\.[0-9])"
VER = (
    r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}(?:-[0-9A-Za-z]{1,20}(?:\.[0-9A-Za-z]{1,20}){0,3})?"
    r"(?![0-9A-Za-z])"
)
_DASH = rf"(?:{SP}{{0,2}}[-\u2010-\u2015]{SP}{{0,2}}|{SP}{{1,2}}(?:to|through){SP}{{1,2}})"
_ITEM = rf"(?P<a>{NUM})(?:{_DASH}§{{0,2}}{SP}{{0,2}}(?P<b>{NUM}))?"
_SPEC_WORD = r"(?:[Ss]pec(?:ification)?|SPEC)(?:\.md)?"
_VER_MARK = rf"(?:@[vV]?|{SP}{{1,2}}(?:[Vv]ersion{SP}{{1,2}}[vV]?|[vV]))"

# §4.2, § 4.2, §§4-5 (any dash), §§4.1-4.3, §§4, 5 and 6
SIGN_CITE = re.compile(rf"(?P<sign>§§?){SP}{{0,2}}{_ITEM}")
# Section 4.2, sections 4 and 6, subsection 4.2.1 (the caller checks the word starts there)
WORD_CITE = re.compile(
    rf"[Ss](?:ub[Ss])?(?:ection|ECTION)(?P<plural>[sS])?\.?{SP}{{1,3}}{SP}{{0,2}}{_ITEM}"
)
# the rest of a list: ", 5", " and 6", ", and §7", " & 8"
MORE = re.compile(
    rf"(?:{SP}{{0,2}},{SP}{{0,2}}(?:and{SP}{{1,2}}|&{SP}{{0,2}})?|{SP}{{1,2}}(?:and|&){SP}{{1,2}})"
    rf"§{{0,2}}{SP}{{0,2}}{_ITEM}"
)
# a version just before a citation: "spec v1.0.0 §4.2", "SPEC.md@v1 §4.2" (searched in a
# short window that ends where the citation starts)
PRE_VERSION = re.compile(
    rf"(?<![A-Za-z]){_SPEC_WORD}{_VER_MARK}(?P<ver>{VER}){SP}{{0,2}}[,:]?{SP}{{0,2}}\Z"
)
PRE_WINDOW = 64
# a version just after one: "§4.2 (v1.0.0)", "§4.2@v1", "§4.2 of spec v1.0.0"
POST_VERSION = re.compile(
    rf"{SP}{{0,2}}[(@,]?{SP}{{0,2}}"
    rf"(?:(?:of|in){SP}{{1,2}}(?:the{SP}{{1,2}})?(?:(?P<doc>[\w./-]{{1,100}}\.md)|{_SPEC_WORD})"
    rf"{SP}{{1,2}})?"
    rf"(?:[Vv]ersion{SP}{{1,2}}[vV]?|[vV])(?P<ver>{VER})\)?"
)
# a document named before a citation: "docs/other.md §4.2", "SPEC.md@v1 §4.2" (searched in a
# window that ends where the citation starts)
_DOC = r"(?P<doc>[\w./-]{1,100}\.md)"
PRE_DOC = re.compile(rf"(?<![\w./-]){_DOC}(?:{_VER_MARK}{VER})?{SP}{{0,2}}[,:]?{SP}{{0,2}}\Z")
DOC_WINDOW = 128
# ... or after it: "§4.2 of docs/other.md", "§4.2 in the SPEC.md v1.1"
POST_DOC = re.compile(
    rf"{SP}{{0,2}}[(,]?{SP}{{0,2}}(?:of|in){SP}{{1,2}}(?:the{SP}{{1,2}})?{_DOC}(?![\w/-]|\.[\w/-])"
)
# another standard's sections: "RFC 9110 §6", "ISO 8601-1 section 3", "§6 of RFC 9110"
_STANDARD = (
    r"(?:RFC|BCP|STD|ISO(?:/IEC)?|IEC|IEEE|ECMA|PEP|ANSI|FIPS|NIST{SP}SP|ITU-T{SP}?[A-Z]|ETSI|"
    r"W3C|CWE|POSIX|JSR|OASIS|ASTM|DIN|BS|EN|UAX|UTS)"
).replace("{SP}", SP)
PRE_FOREIGN = re.compile(
    rf"(?<![A-Za-z]){_STANDARD}{SP}{{0,2}}[-#]?{SP}{{0,2}}[0-9][0-9A-Za-z.:-]{{0,24}}"
    rf"{SP}{{0,2}}[,:]?{SP}{{0,2}}\Z"
)
POST_FOREIGN = re.compile(
    rf"{SP}{{0,2}}[(,]?{SP}{{0,2}}(?:of|in){SP}{{1,2}}(?:the{SP}{{1,2}})?{_STANDARD}(?![A-Za-z])"
)
FOREIGN_WINDOW = 48
# near misses, for the message when nothing was cited
HINTS = {
    "placeholder": re.compile(rf"§{{1,2}}{SP}{{0,2}}[A-Z](?:\.[A-Z]){{0,3}}(?![A-Za-z0-9])"),
    "lookalike": re.compile(r"[$S](?<![A-Za-z0-9$].)[0-9]{1,6}(?:\.[0-9]{1,6}){1,7}"),
    "digits": re.compile(rf"§{{1,2}}{SP}{{0,2}}(?![0-9])\d"),
    "word digits": re.compile(rf"[Ss](?<![A-Za-z].)ections?{SP}{{1,2}}(?![0-9])\d"),
}
