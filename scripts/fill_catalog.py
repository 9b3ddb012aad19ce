#!/usr/bin/env python
"""Fill the Vietnamese catalog after `makemessages`.

Interface strings are written in Vietnamese in the code, so the `vi` catalog starts as the
identity: this fills every empty msgstr with its msgid and clears the fuzzy flag that
makemessages guesses, keeping any wording an editor changed by hand. Another language gets
its own catalog (makemessages -l en) and is translated for real.
"""

import sys

import polib


def fill(path: str) -> int:
    catalog = polib.pofile(path)
    filled = 0
    for entry in catalog:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
            entry.previous_msgid = entry.previous_msgid_plural = None
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                # Vietnamese has one plural form.
                entry.msgstr_plural = {0: entry.msgid}
                filled += 1
        elif not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
    catalog.metadata.update(
        {
            "Language": "vi",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    catalog.save(path)
    return filled


if __name__ == "__main__":
    for po_path in sys.argv[1:]:
        print(f"{po_path}: {fill(po_path)} entries filled")
