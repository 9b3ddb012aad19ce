"""A small iCalendar (RFC 5545) writer for the agenda: one VCALENDAR of VEVENTs, times in UTC.

Hand-written because the agenda needs only a handful of properties. What matters for the
calendar programs that read it: CRLF line ends, lines folded at 75 octets without cutting a
UTF-8 character in two, TEXT values escaped, and a UID that stays the same when a session is
edited, so that importing the file again updates the event instead of adding a copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Doi thoai//Chuong trinh nghi su//VI"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime.datetime  # aware
    ends_at: datetime.datetime  # aware
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC form ("20230803T003000Z"); naive values are refused, not guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("iCalendar times must be timezone-aware")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets joined by CRLF and one space
    (RFC 5545 §3.1). Cuts fall between characters, never inside a UTF-8 sequence."""
    pieces, current, size = [], [], 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            # A continuation line starts with a space, which counts towards its 75 octets.
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _property(name: str, value: str) -> str:
    return fold(f"{name}:{value}")


def calendar(events: Iterable[Event], *, name: str = "", stamp: datetime.datetime | None = None) -> bytes:
    """The calendar as UTF-8 bytes, every line ending in CRLF."""
    stamp_text = utc_stamp(stamp or datetime.datetime.now(datetime.UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        _property("PRODID", PRODID),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(_property("X-WR-CALNAME", escape_text(name)))
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            _property("UID", event.uid),
            f"DTSTAMP:{stamp_text}",
            f"DTSTART:{utc_stamp(event.starts_at)}",
            f"DTEND:{utc_stamp(event.ends_at)}",
            _property("SUMMARY", escape_text(event.summary)),
        ]
        if event.location:
            lines.append(_property("LOCATION", escape_text(event.location)))
        if event.description:
            lines.append(_property("DESCRIPTION", escape_text(event.description)))
        if event.url:
            lines.append(_property("URL", event.url))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
