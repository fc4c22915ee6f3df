"""QR codes for screens (inline SVG). Printed QR codes are made by the printer package."""

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(payload: str) -> Markup:
    image = qrcode.make(
        payload,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    return Markup(svg.replace("<svg ", '<svg class="qr" role="img" aria-label="二维码" ', 1))
