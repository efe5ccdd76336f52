"""Where a stamp goes on a paper's page as the reader sees it: any rotation, any boxes.

A PDF page is shown through its crop box (the media box when it has none), which need not start
at 0,0, and turned clockwise by its ``/Rotate``. A stamp is drawn upright on a page of the size
the reader sees, then mapped into the page's own space by the matrix here, so that it lands
upright and inside the visible page whatever the paper's scanner or spreadsheet did. The paper's
own content is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PageObject

__all__ = ["Frame", "frame_of"]


@dataclass(frozen=True)
class Frame:
    """The visible page: its size as shown, and the matrix (a b c d e f, as for the PDF ``cm``
    operator) from upright coordinates on it to the page's own."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.matrix
        return a * x + c * y + e, b * x + d * y + f

    @property
    def cm(self) -> bytes:
        """The ``cm`` operator that puts what follows on the visible page, upright."""
        return (" ".join(f"{v:.4f}".rstrip("0").rstrip(".") for v in self.matrix) + " cm").encode()


def frame_of(page: PageObject) -> Frame:
    """The visible page of ``page``: its crop box (clipped to the media box), turned by its
    rotation (a multiple of 90 degrees; anything else counts as none, as readers do)."""
    crop, media = page.cropbox, page.mediabox
    left = max(float(crop.left), float(media.left))
    bottom = max(float(crop.bottom), float(media.bottom))
    right = min(float(crop.right), float(media.right))
    top = min(float(crop.top), float(media.top))
    if right <= left or top <= bottom:  # a crop box outside the media box: show the media box
        left, bottom, right, top = (
            float(media.left),
            float(media.bottom),
            float(media.right),
            float(media.top),
        )
    width, height = right - left, top - bottom
    turn = page.rotation % 360 if page.rotation % 90 == 0 else 0
    if turn == 90:  # shown turned clockwise: the page's left edge is the top
        return Frame(height, width, (0, 1, -1, 0, right, bottom))
    if turn == 180:
        return Frame(width, height, (-1, 0, 0, -1, right, top))
    if turn == 270:
        return Frame(height, width, (0, -1, 1, 0, left, top))
    return Frame(width, height, (1, 0, 0, 1, left, bottom))
