"""Warnings of the fetch stage: one line each on stderr.

A skipped server entry or a damaged cached file is not an error (the rest of the lineage or
group goes on) but must not pass silently either.
"""

from __future__ import annotations

import sys


def warn(message: str) -> None:
    """``draftscope: warning: <message>`` on stderr, on one line whatever the message holds."""
    print(f"draftscope: warning: {' '.join(message.split())}", file=sys.stderr, flush=True)
