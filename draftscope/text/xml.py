"""RFC XML (v2 and v3) to a Document: safe parsing, section numbers as xml2rfc prints them, and
plain lines rendered from the text so text-based analyses read XML and published text alike.

Parsing never resolves entities and never touches the network (drafts name external DTDs such
as ``rfc2629-xhtml.ent``); undeclared entities such as ``&nbsp;`` are read as their character.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from draftscope.errors import ParseError
from draftscope.text.model import Document, Section

if TYPE_CHECKING:  # pragma: no cover
    from lxml import etree


# Named entities drafts use without declaring them (the DTD is not loaded).
ENTITIES = {
    "nbsp": " ", "zwsp": "", "nbhy": "-", "wj": "", "amp": "&", "lt": "<", "gt": ">",
    "quot": '"', "apos": "'", "mdash": "--", "ndash": "-", "hellip": "...", "rsquo": "'",
    "lsquo": "'", "rdquo": '"', "ldquo": '"', "times": "x", "copy": "(c)", "shy": "",
}
# Elements whose text is a paragraph of its own.
BLOCKS = {
    "t", "dt", "dd", "li", "c", "ttcol", "td", "th", "preamble", "postamble", "name",
    "artwork", "sourcecode", "blockquote", "aside", "cref_block", "title",
}
# Elements that only hold blocks.
CONTAINERS = {
    "list", "ul", "ol", "dl", "figure", "texttable", "table", "thead", "tbody", "tfoot", "tr",
    "artset", "abstract", "note", "front", "middle", "back", "references", "section",
}
VERBATIM = {"artwork", "sourcecode"}
SKIP = {"iref", "seriesInfo", "author", "date", "area", "workgroup", "keyword", "organization",
        "address", "format", "annotation", "displayreference", "link"}
# xml2rfc prints typographic quotes as ASCII in text output; do the same so both read alike.
_ASCII_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_QUOTE_PAIRS = tuple((chr(quote), ascii_quote) for quote, ascii_quote in _ASCII_QUOTES.items())
# a run of white space that holds two or more newlines (a blank line inside a paragraph)
_BLANK_RUN = re.compile(r"\n[^\S\n]*\n")
_NESTED = BLOCKS | CONTAINERS
_INLINE_REFS = {"xref", "eref", "relref"}
# What _Renderer.block does not read as a paragraph (SKIP: does not read at all)
_NOT_PARAGRAPHS = CONTAINERS | VERBATIM | SKIP | {"reference"}


def _ascii_quotes(text: str) -> str:
    """``text.translate(_ASCII_QUOTES)``, without translate's per-character dict look-ups."""
    if not text.isascii():
        for quote, ascii_quote in _QUOTE_PAIRS:
            if quote in text:
                text = text.replace(quote, ascii_quote)
    return text


def _squeeze(text: str) -> str:
    """White space runs as one space, none at the ends (``re.sub(r"\\s+", " ", text).strip()``)."""
    return " ".join(text.split())


class _Renderer:
    """Walks the tree once, writing lines, section starts and <bcp14> occurrences."""

    __slots__ = ("lines", "line_numbers", "sections", "bcp14", "_pending_bcp14", "_multiline",
                 "_multiline_at", "names")

    def __init__(self, names: bool = True) -> None:
        self.names = names  # whether the document has a <name> element (v3) at all
        self.lines: list[str] = []
        self.line_numbers: list[int] = []
        self.sections: list[tuple[str, str, int]] = []
        self.bcp14: list[tuple[int, str]] = []
        self._pending_bcp14: list[str] = []
        self._multiline: list[str] = []  # the inline texts holding newlines...
        self._multiline_at: list[int] = []  # ...and the index of the line each became

    def emit(self, text: str, sourceline: int | None) -> None:
        """``text`` (one line or several) after a blank line, with the pending <bcp14> phrases."""
        lines, line_numbers = self.lines, self.line_numbers
        if lines and lines[-1] != "":
            lines.append("")
            line_numbers.append(line_numbers[-1])
        line_no = sourceline or (line_numbers[-1] if line_numbers else 1)
        if self._pending_bcp14:
            index = len(lines)
            self.bcp14.extend((index, phrase) for phrase in self._pending_bcp14)
            self._pending_bcp14 = []
        text = _ascii_quotes(text)
        if "\n" in text:
            pieces = text.split("\n")
            lines.extend(pieces)
            line_numbers.extend([line_no] * len(pieces))
        else:
            lines.append(text)
            line_numbers.append(line_no)

    def heading(self, number: str, title: str, element: "etree._Element") -> None:
        text = f"{number}.  {title}" if number else title
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.line_numbers.append(self.line_numbers[-1])
        self.sections.append((number, title, len(self.lines)))
        self.lines.append(text)
        self.line_numbers.append(element.sourceline or 1)

    def flush(self, text: str, element: "etree._Element") -> None:
        """Emit the inline text of a paragraph as one line, its white space squeezed (a
        paragraph that holds a blank line is redone by :meth:`finish`)."""
        words = text.split()
        if not words:
            return
        words[0] = "   " + words[0]  # the line's indent, without copying the whole line again
        line = " ".join(words)
        lines, line_numbers = self.lines, self.line_numbers
        if lines and lines[-1]:
            lines.append("")
            line_numbers.append(line_numbers[-1])
        if self._pending_bcp14:
            index = len(lines)
            self.bcp14.extend((index, phrase) for phrase in self._pending_bcp14)
            self._pending_bcp14 = []
        if "\n" in text:
            self._multiline.append(text)
            self._multiline_at.append(len(lines))
        lines.append(line if line.isascii() else _ascii_quotes(line))
        line_numbers.append(element.sourceline or (line_numbers[-1] if line_numbers else 1))

    def finish(self) -> "_Renderer":
        """Redo the lines of paragraphs that hold a blank line (a white space run with two or
        more newlines): each source line is squeezed apart and the lines are joined by a space,
        so such a run reads as one space per newline, as the renderer has always read it."""
        multiline = self._multiline
        if multiline and _BLANK_RUN.search("\0".join(multiline)):
            for index, text in zip(self._multiline_at, multiline):
                if _BLANK_RUN.search(text):
                    squeezed = " ".join([" ".join(part.split()) for part in text.split("\n")]).strip()
                    self.lines[index] = "   " + _ascii_quotes(squeezed)
        return self

    def block(self, element: "etree._Element", tag: str) -> None:
        """A block element (paragraph, container, reference) whose local name is ``tag``."""
        if tag in CONTAINERS:
            paragraph = self.paragraph
            for child in element:
                child_tag = child.tag
                if child_tag.__class__ is str:
                    if child_tag[0] == "{":
                        child_tag = child_tag.rsplit("}", 1)[-1]
                    if child_tag in _NOT_PARAGRAPHS:
                        if child_tag not in SKIP:
                            self.block(child, child_tag)
                    else:
                        paragraph(child)
        elif tag == "reference":
            # element.find(".//{*}title"), then ".//title": the same elements without ElementPath
            title = next(element.iterdescendants("{*}title"), None)
            if title is None:
                title = next(element.iterdescendants("title"), None)
            anchor = element.get("anchor", "")
            text = _squeeze("".join(title.itertext())) if title is not None else ""
            self.emit(f"   [{anchor}] {text}".rstrip(), element.sourceline)
        elif tag in VERBATIM:
            text = "".join(element.itertext()).strip("\n")
            self._pending_bcp14 = []
            self.emit("\n".join(["   " + line.rstrip() for line in text.split("\n")]), element.sourceline)
        else:
            self.paragraph(element)

    def paragraph(self, element: "etree._Element") -> None:
        """A block's inline text as one line; nested blocks (v2 <t><list>) become their own."""
        text = element.text
        if not len(element):  # text only (the most common paragraph)
            if text:
                self.flush(text, element)
            return
        pieces: list[str] = [text] if text else []
        for child in element:
            child_tag = child.tag
            if child_tag.__class__ is str:
                if child_tag[0] == "{":
                    child_tag = child_tag.rsplit("}", 1)[-1]
                if child_tag in _NESTED:
                    if pieces:
                        self.flush("".join(pieces), element)
                        pieces = []
                    self.block(child, child_tag)
                elif child_tag == "xref" and not (child.text or len(child)):  # the commonest child
                    pieces.append(f"[{child.get('target', '')}]")
                elif child_tag not in SKIP:
                    self.inline_child(child, child_tag, pieces)
            else:
                _inline_node(child, pieces)
            tail = child.tail
            if tail:
                pieces.append(tail)
        if pieces:
            self.flush("".join(pieces), element)

    def inline(self, element: "etree._Element", out: list[str]) -> None:
        """Inline text of ``element`` and its children, with their tails."""
        text = element.text
        if text:
            out.append(text)
        for child in element:
            child_tag = child.tag
            if child_tag.__class__ is str:
                if child_tag[0] == "{":
                    child_tag = child_tag.rsplit("}", 1)[-1]
                if child_tag not in SKIP:
                    self.inline_child(child, child_tag, out)
            else:
                _inline_node(child, out)
            tail = child.tail
            if tail:
                out.append(tail)

    def inline_child(self, child: "etree._Element", tag: str, out: list[str]) -> None:
        """Text of one inline element (not its tail): <bcp14>, empty xrefs, line breaks."""
        if tag in _INLINE_REFS and not (child.text or len(child)):
            target = child.get("target", "")
            out.append(f"<{target}>" if tag == "eref" else f"[{target}]")
        elif tag == "bcp14":
            words: list[str] = []
            self.inline(child, words)
            phrase = _squeeze("".join(words))
            self._pending_bcp14.append(phrase)
            out.append(phrase)
        elif tag == "vspace" or tag == "br":
            out.append("\n")
        else:
            self.inline(child, out)


def _inline_node(node: "etree._Element", out: list[str]) -> None:
    """An entity reference reads as its character; comments and processing instructions as nothing."""
    from lxml import etree

    if isinstance(node, etree._Entity):
        out.append(ENTITIES.get(node.name, " "))


def _tag(element: "etree._Element") -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1] if tag[0] == "{" else tag


def _block(element: "etree._Element", renderer: _Renderer) -> None:
    tag = _tag(element)
    if tag and tag not in SKIP:
        renderer.block(element, tag)


def _section_title(element: "etree._Element", names: bool = True) -> str:
    title = _title_of(element, names)
    return "" if title is None else title


def _title_of(element: "etree._Element", names: bool = True) -> str | None:
    """The title of a section: its <name> (v3), else its ``title`` attribute (v2); None when it
    has neither. ``names`` False: the document has no <name> element (v2), so none is sought."""
    if names:
        name = element[0] if len(element) else None  # v3: <name> comes first
        if name is None or name.tag != "name":
            name = next(element.iterchildren("name"), None)  # find("name") without ElementPath
    else:
        name = None
    if name is not None:
        text = "".join(name.itertext())
    else:
        text = element.get("title")
        if text is None:
            return None
    return _ascii_quotes(_squeeze(text))


def _render_sections(sections: list, number: Callable[[int], str], renderer: _Renderer) -> int:
    """Render sibling sections, numbering those not marked ``numbered="false"`` with
    ``number(1)``, ``number(2)``, ... (1, 2, ... in the middle; A, B, ... for appendices).
    Returns how many were numbered."""
    count = 0
    for section in sections:
        if section.get("numbered") == "false":
            _render_section(section, "", renderer)
        else:
            count += 1
            _render_section(section, number(count), renderer)
    return count


def _render_section(element: "etree._Element", number: str, renderer: _Renderer,
                    title: str | None = None) -> None:
    """A section's heading (``title``: already read by the caller) and its blocks and subsections."""
    names = renderer.names
    renderer.heading(number, _section_title(element, names) if title is None else title, element)
    child_count = 0
    paragraph = renderer.paragraph
    for child in element:
        tag = child.tag
        if tag.__class__ is not str:
            continue  # a comment, processing instruction or entity between blocks: nothing
        if tag[0] == "{":
            tag = tag.rsplit("}", 1)[-1]
        if tag not in _NOT_PARAGRAPHS:
            if tag != "name":
                paragraph(child)
        elif tag == "section" or tag == "references":
            child_title = _title_of(child, names)
            if child_title is None:
                renderer.block(child, tag)  # untitled: its blocks, with no heading
            elif child.get("numbered") == "false":
                _render_section(child, "", renderer, child_title)
            else:
                child_count += 1
                _render_section(child, f"{number}.{child_count}" if number else "", renderer, child_title)
        elif tag not in SKIP:
            renderer.block(child, tag)


def render(root: "etree._Element") -> _Renderer:
    """Lines and sections of an RFC XML document, numbered as xml2rfc numbers them."""
    renderer = _Renderer(root.find(".//name") is not None)
    front = root.find("front")
    if front is not None:
        title = front.find("title")
        if title is not None:
            renderer.emit("   " + _squeeze("".join(title.itertext())), title.sourceline)
        abstract = front.find("abstract")
        if abstract is not None:
            renderer.heading("", "Abstract", abstract)
            _block(abstract, renderer)
        for note in front.findall("note"):
            renderer.emit("   " + _section_title(note, renderer.names), note.sourceline)
            for child in note:
                if _tag(child) != "name":
                    _block(child, renderer)
    middle = root.find("middle")
    top = _render_sections(middle.findall("section"), str, renderer) if middle is not None else 0
    back = root.find("back")
    if back is not None:
        references = back.findall("references")
        if len(references) == 1:
            top += 1
            _render_section(references[0], str(top), renderer)
        elif len(references) > 1:  # v2: several <references>, printed under one "References"
            top += 1
            renderer.heading(str(top), "References", references[0])
            for i, block in enumerate(references, 1):
                _render_section(block, f"{top}.{i}", renderer)
        _render_sections(back.findall("section"), lambda n: chr(ord("A") + n - 1), renderer)
    authors = front.findall("author") if front is not None else []
    if authors:  # xml2rfc prints them last
        renderer.heading("", "Authors' Addresses" if len(authors) > 1 else "Author's Address", authors[0])
        for author in authors:
            renderer.emit("   " + author.get("fullname", ""), author.sourceline)
    return renderer.finish()


def parse_root(raw: bytes | str, source: str = "XML") -> "etree._Element":
    """Parse RFC XML with entity resolution and network access off; bad XML -> ParseError."""
    from lxml import etree

    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=False
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{source}: not well-formed XML ({exc})") from None
    if _tag(root) != "rfc":
        raise ParseError(f"{source}: not RFC XML (root element is <{_tag(root)}>, expected <rfc>)")
    return root


def parse_xml(raw: bytes | str, name: str = "", rev: str = "", source: str = "XML") -> "Document":
    """RFC XML v2/v3 -> Document (lines rendered from the text, ``xml`` the parsed root)."""

    root = parse_root(raw, source)
    if not name:
        doc_name = root.get("docName", "")
        match = re.match(r"^(draft-.+?)-(\d{2})$", doc_name)
        if match:
            name, rev = match.group(1), rev or match.group(2)
    renderer = render(root)
    sections = [Section(number, title, start) for number, title, start in renderer.sections]
    return Document(
        name=name,
        rev=rev,
        format="xml",
        lines=renderer.lines,
        line_numbers=renderer.line_numbers,
        sections=sections,
        toc=None,
        xml=root,
        bcp14=renderer.bcp14 if root.find(".//bcp14") is not None else None,
    )
