"""Text from learner code, made safe for every report: terminal, JSON, JUnit XML.

Learner output and messages may hold anything: lone surrogates (from a `str` built out of
bad bytes), NUL and other control characters (which make XML unparseable and can drive a
terminal), or characters XML 1.0 forbids. `printable` escapes each as visible text
(`\\x00`, `\\ud800`) and keeps newlines and tabs, so a report always encodes and parses.
"""

from __future__ import annotations

import re

# C0 controls but \t \n \r, DEL, C1 controls, surrogates, and the two XML non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    if not isinstance(text, str):
        text = str(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE.sub(_escape, text)


def printable_data(value):
    """`printable` on every string in a JSON-like structure (keys included)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(str(k)): printable_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable_data(v) for v in value]
    return value
