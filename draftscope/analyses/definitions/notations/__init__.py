"""The notation seam: the ordered list of notation readers and the one table of notation names.

Each notation is one module here implementing :class:`~.base.NotationReader` (does a block start
at this line; read it into readings and its end line; optionally settle a scan's readings and
post-process the document's definitions). :data:`READERS` is asked in order at every line: the
first reader whose ``starts`` is true and whose ``read`` gives a block wins (TLS before field
lists, whose headers look alike; box art last). Adding a notation is one module and one line
here (DEVELOPING.md, "Add a notation").

:func:`notation_info` is the one table of what notations are called: ``Definition.notation``
names, and the label/noun that tables, plots, stories and the CLI show for them.
"""

from __future__ import annotations

from draftscope.analyses.definitions.notations import boxart, fieldlist, tls
from draftscope.analyses.definitions.notations.base import (Block, NotationInfo, NotationReader,
                                                            ReadContext, Reading)

READERS: list[NotationReader] = [
    tls.READER,          # struct { ... } Name;  enum { ... } Name;  uint8 CipherSuite[2];
    fieldlist.READER,    # ACK Frame { Type (i) = 0x02..0x03, ... }
    boxart.READER,       # +-+-+-+ box diagrams
]


def notations() -> dict[str, NotationInfo]:
    """Every notation the registered readers produce, by name, in reader order."""
    return {info.name: info for reader in READERS for info in reader.notations}


def notation_info(name: str) -> NotationInfo:
    """What notation ``name`` is called (an unknown name is shown as it is)."""
    return notations().get(name) or NotationInfo(name, name, name)


def notation_label(name: str) -> str:
    """``"boxart"`` -> ``"box art"``: the word tables, plots and the CLI show."""
    return notation_info(name).label


def notation_noun(name: str) -> str:
    """``"boxart"`` -> ``"a box diagram"``: the words sentences use."""
    return notation_info(name).noun


__all__ = ["READERS", "Block", "NotationInfo", "NotationReader", "ReadContext", "Reading",
           "notation_info", "notation_label", "notation_noun", "notations"]
