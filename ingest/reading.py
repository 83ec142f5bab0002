"""Reading a published document: a PDF (its text layer, via pypdf) or text already extracted.

The result keeps the exact bytes (for the content-addressed copy) and the text as lines, so that
every figure can point back to the line it stands on. The text is NFC-normalised: a letter typed
or extracted as a base letter and a combining mark ("Syrie" + U+0308) reads as the one letter it
is ("Syrië"), so the same document reads the same whatever its normalisation form.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import IngestError

if TYPE_CHECKING:
    from pypdf import PdfReader

# Monthly publications are a few pages; anything this large is not one, and reading it whole
# would only waste memory.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

PDF_MAGIC = b"%PDF-"

# Byte-order marks of the text encodings read besides UTF-8 and Windows-1252; UTF-32's first, as
# UTF-32-LE's mark begins with UTF-16-LE's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


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
        # A PDF with only an owner password opens with the empty user password (pypdf tries it);
        # one that needs a password to be opened cannot be read here, whatever its cipher.
        if reader.is_encrypted and not _opens_without_password(reader):
            raise IngestError(
                path,
                "the PDF is encrypted (password-protected); save an unprotected copy or its text "
                "and ingest that",
            )
        if len(reader.pages) == 0:
            raise IngestError(path, "the PDF has no pages; the file is incomplete or not the publication")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(path, f"the PDF cannot be read ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(
            path,
            "the PDF has no text layer (a scan?); extract its text first and ingest the text",
        )
    return _normalise(text)


def _opens_without_password(reader: PdfReader) -> bool:
    from pypdf.errors import PyPdfError

    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, ValueError, KeyError, TypeError, NotImplementedError):
        return False


def _plain_text(path: Path, data: bytes) -> str:
    for mark, codec, name in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(codec)  # the codec reads the mark, and drops it
            except UnicodeDecodeError as exc:
                raise IngestError(
                    path,
                    f"the file starts with a {name} byte-order mark but byte {exc.start:,} is not "
                    f"{name}; save it as UTF-8 and ingest that",
                ) from None
            return _text_or_refusal(path, text)
    if b"\x00" in data:
        likely = _utf16_without_mark(data)
        if likely:
            raise IngestError(
                path,
                f"the file looks like UTF-16 without a byte-order mark ({likely}); save it as "
                "UTF-8 and ingest that",
            )
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
    return _text_or_refusal(path, text)


def _text_or_refusal(path: Path, text: str) -> str:
    if not text.strip():
        raise IngestError(path, "the file holds no text")
    return _normalise(text)


def _utf16_without_mark(data: bytes) -> str | None:
    """The byte order ("little-endian", "big-endian") of UTF-16 text without a byte-order mark,
    where the bytes look like one: an even length, a zero byte in most odd (or even) places — Latin
    text in UTF-16 — and hardly any in the others; None otherwise."""
    if len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    for zeros, others, codec, order in (
        (odd, even, "utf-16-le", "little-endian"),
        (even, odd, "utf-16-be", "big-endian"),
    ):
        if zeros.count(0) >= 0.6 * half and others.count(0) <= 0.01 * half:
            try:
                data.decode(codec)
            except UnicodeDecodeError:
                return None
            return order
    return None


def _normalise(text: str) -> str:
    """One newline (LF) and one normalisation form (NFC) for every document."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
