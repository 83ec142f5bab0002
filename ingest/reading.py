"""Reading a published document: a PDF (its text layer, via pypdf) or text already extracted.

The result keeps the exact bytes (for the content-addressed copy) and the text as lines, so that
every figure can point back to the line it stands on.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError

# Monthly publications are a few pages; anything this large is not one, and reading it whole
# would only waste memory.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Document:
    """A document as received: its bytes, its text and where it came from."""

    path: Path
    data: bytes
    text: str
    media_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def suffix(self) -> str:
        return ".pdf" if self.media_type == "application/pdf" else ".txt"


def read_document(path: str | Path) -> Document:
    """Read a PDF or text file; refuse anything that cannot be a publication with a clear error."""
    path = Path(path)
    if not path.exists():
        raise IngestError(path, "no such file")
    if not path.is_file():
        raise IngestError(path, "not a regular file (a folder, device or pipe)")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "the file is empty")
    if size > MAX_DOCUMENT_BYTES:
        raise IngestError(
            path,
            f"the file is {size:,} bytes; a publication is at most {MAX_DOCUMENT_BYTES:,} bytes",
        )
    data = path.read_bytes()
    if data.startswith(PDF_MAGIC):
        return Document(path, data, _pdf_text(path, data), "application/pdf")
    return Document(path, data, _plain_text(path, data), "text/plain")


def _pdf_text(path: Path, data: bytes) -> str:
    # pypdf is imported here: text documents, the common case in tests, never pay for it.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs warnings for every quirk of a damaged file; the error below says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(path, f"the PDF cannot be read ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(
            path,
            "the PDF has no text layer (a scan?); extract its text first and ingest the text",
        )
    return _normalise_newlines(text)


def _plain_text(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise IngestError(path, "the file is binary, neither a PDF nor text")
    try:
        # utf-8-sig drops a byte-order mark that some editors add.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older extractions are Windows-1252 (a superset of Latin-1 for printable text).
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise IngestError(path, "the file is neither UTF-8 nor Windows-1252 text") from None
    if not text.strip():
        raise IngestError(path, "the file holds no text")
    return _normalise_newlines(text)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
