"""A synthetic IETF archive mirror from the shared corpus, for the scan's tests and benchmarks.

Writes N revision texts in the rsync archive's layout -- ``id/<year>/draft-ietf-<wg>-<topic>-NN.txt``
and ``rfc/<year>/rfcNNNNN.txt`` -- each a corpus text (drafts become drafts, RFCs RFCs) under a
new name, most of them mutated so that no two files are alike (a phrase changed here, a
sentence with phrases added there), some with their XML twin beside them (where the corpus has
the XML of that revision), and a few broken (XML cut short: a row with an error). The same
arguments write the same bytes (a seeded generator), so a mirror can be rebuilt rather than kept.

    python3 benchmarks/make_mirror.py OUT [-n 20000] [--corpus ../shared/corpus] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

GROUPS = ("quic", "tcpm", "tls", "httpbis", "dnsop", "idr", "lsr", "opsawg", "bess", "teas",
          "netconf", "oauth", "ace", "core", "lamps", "sidrops", "spring", "mpls", "pce", "ippm",
          "v6ops", "6man", "rtgwg", "emu", "dprive", "add", "mls", "masque", "moq", "ccamp")
TOPICS = ("transport", "recovery", "framing", "yang", "extensions", "security", "discovery",
          "telemetry", "signaling", "encoding", "profile", "migration", "registry", "bis")
# sentences added by mutation: each holds BCP 14 phrases in a plain paragraph
SENTENCES = (
    "   An implementation MUST NOT send this frame before the handshake\n   completes; it SHOULD log the event.\n",
    "   A receiver MAY ignore the option.  Senders SHOULD NOT rely on it\n   and MUST be prepared for its absence.\n",
    "   Support for this extension is OPTIONAL; when used, the value\n   SHALL be zero and it is RECOMMENDED that peers check it.\n",
)
_PHRASE = re.compile(rb"\b(MUST|SHOULD|MAY)\b")
BROKEN_EVERY = 200       # one file in this many is broken XML
XML_EVERY = 10           # one in this many revisions with an XML source in the corpus gets it


@dataclass(frozen=True)
class Source:
    text: Path
    xml: Path | None
    rfc: bool


def corpus_sources(corpus: Path, max_bytes: int | None = None) -> list[Source]:
    """The corpus's .txt texts (below ``max_bytes`` when given), each with its .xml if any."""
    found = []
    for path in sorted(corpus.rglob("*.txt")):
        if path.name.lower().startswith("readme") or (max_bytes and path.stat().st_size > max_bytes):
            continue
        xml = path.with_suffix(".xml")
        found.append(Source(path, xml if xml.exists() else None, path.name.startswith("rfc")))
    return found


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """``raw`` with a phrase swapped and/or a sentence added after a paragraph (or as it is)."""
    choice = rng.random()
    if choice < 0.15:
        return raw
    matches = list(_PHRASE.finditer(raw, 0, min(len(raw), 200_000)))
    if matches and choice < 0.6:
        m = rng.choice(matches)
        other = rng.choice([w for w in (b"MUST", b"SHOULD", b"MAY") if w != m.group(1)])
        raw = raw[: m.start()] + other + raw[m.end() :]
    breaks = [m.end() for m in re.finditer(rb"\.\n\n", raw[: min(len(raw), 200_000)])]
    if breaks:
        at = rng.choice(breaks)
        raw = raw[:at] + rng.choice(SENTENCES).encode() + b"\n" + raw[at:]
    return raw


def make_mirror(corpus: Path, out: Path, n: int, *, seed: int = 1, max_bytes: int | None = None) -> list[Path]:
    """Write ``n`` revision texts (plus XML twins) under ``out``; returns the paths written."""
    rng = random.Random(seed)
    sources = corpus_sources(corpus, max_bytes)
    drafts = [s for s in sources if not s.rfc]
    rfcs = [s for s in sources if s.rfc]
    written = []
    for i in range(n):
        is_rfc = rfcs and rng.random() < 0.2
        source = rng.choice(rfcs if is_rfc else drafts)
        year = 1990 + rng.randrange(33)
        if is_rfc:
            folder, stem = out / "rfc" / str(year), f"rfc{10000 + i}"
        else:
            lineage, rev = divmod(i, 7)
            name = f"draft-ietf-{GROUPS[lineage % len(GROUPS)]}-{TOPICS[lineage % len(TOPICS)]}-{lineage}"
            folder, stem = out / "id" / str(year), f"{name}-{rev:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % BROKEN_EVERY == BROKEN_EVERY - 1:
            target = folder / f"{stem}.xml"
            raw = (source.xml or source.text).read_bytes()
            target.write_bytes(b"<?xml version='1.0'?>\n<rfc><front><title>" + raw[:300])
            written.append(target)
            continue
        target = folder / f"{stem}.txt"
        target.write_bytes(mutate(source.text.read_bytes(), rng))
        written.append(target)
        if source.xml is not None and rng.randrange(XML_EVERY) == 0:
            twin = folder / f"{stem}.xml"
            twin.write_bytes(source.xml.read_bytes())
            written.append(twin)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (must not exist or be empty)")
    parser.add_argument("-n", type=int, default=20000, help="revision texts to write (default: 20000)")
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("DRAFTSCOPE_TEST_CORPUS", "../shared/corpus")))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    written = make_mirror(args.corpus, args.out, args.n, seed=args.seed)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} files, {total / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
