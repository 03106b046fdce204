"""Product pictures drawn with Pillow, so the demo needs no download and no stock photos."""
import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
GROUP_COLOURS = {
    "I": ((255, 244, 214), (222, 135, 40)),
    "II": ((232, 240, 255), (62, 98, 176)),
    "III": ((236, 248, 236), (46, 125, 70)),
    "IV": ((250, 238, 226), (150, 92, 50)),
    "V": ((232, 248, 240), (30, 130, 100)),
    "VI": ((228, 244, 250), (20, 120, 150)),
}


def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _shape(draw, shape, colour, accent):
    cx, cy = 300, 250
    if shape in ("fruit", "disc"):
        draw.ellipse((cx - 130, cy - 130, cx + 130, cy + 130), fill=colour)
        draw.ellipse((cx - 20, cy - 160, cx + 40, cy - 120), fill=(70, 140, 60))
    elif shape == "bottle":
        draw.rounded_rectangle((cx - 70, cy - 90, cx + 70, cy + 150), 30, fill=colour)
        draw.rectangle((cx - 25, cy - 160, cx + 25, cy - 90), fill=colour)
        draw.rectangle((cx - 70, cy - 10, cx + 70, cy + 60), fill=accent)
    elif shape == "jar":
        draw.rounded_rectangle((cx - 110, cy - 90, cx + 110, cy + 150), 40, fill=colour)
        draw.rectangle((cx - 90, cy - 130, cx + 90, cy - 90), fill=accent)
    elif shape == "leaf":
        draw.ellipse((cx - 150, cy - 70, cx + 30, cy + 70), fill=colour)
        draw.ellipse((cx - 30, cy - 120, cx + 150, cy + 20), fill=colour)
        draw.line((cx - 150, cy + 120, cx + 120, cy - 90), fill=accent, width=8)
    elif shape == "hat":
        draw.polygon([(cx, cy - 140), (cx - 200, cy + 80), (cx + 200, cy + 80)], fill=colour)
        draw.line((cx - 200, cy + 80, cx + 200, cy + 80), fill=accent, width=10)
    elif shape == "log":
        draw.rounded_rectangle((cx - 170, cy - 70, cx + 170, cy + 70), 70, fill=colour)
        draw.ellipse((cx + 90, cy - 70, cx + 230, cy + 70), fill=accent)
    elif shape == "ticket":
        draw.rounded_rectangle((cx - 180, cy - 100, cx + 180, cy + 100), 24, fill=colour)
        draw.polygon([(cx - 120, cy + 60), (cx - 40, cy - 50), (cx + 20, cy + 20), (cx + 70, cy - 20),
                      (cx + 140, cy + 60)], fill=accent)
    elif shape == "cloth":
        draw.polygon([(cx - 170, cy - 120), (cx + 170, cy - 120), (cx + 120, cy + 140), (cx - 120, cy + 140)],
                     fill=colour)
        for i in range(-150, 160, 40):
            draw.line((cx + i, cy - 120, cx + i * 0.7, cy + 140), fill=accent, width=4)
    elif shape == "basket":
        draw.chord((cx - 170, cy - 150, cx + 170, cy + 170), 0, 180, fill=colour)
        for i in range(-150, 160, 30):
            draw.line((cx + i, cy + 10, cx + i * 0.8, cy + 160), fill=accent, width=4)
    else:  # box, bag
        draw.rounded_rectangle((cx - 140, cy - 110, cx + 140, cy + 140), 18, fill=colour)
        draw.rectangle((cx - 140, cy - 20, cx + 140, cy + 30), fill=accent)


def draw_product_image(*, title, group_code, shape):
    """A 600×600 JPEG: a simple drawing of the kind of product (the page shows name and badge)."""
    background, colour = GROUP_COLOURS.get(group_code, GROUP_COLOURS["I"])
    digest = hashlib.sha1(title.encode("utf-8"), usedforsecurity=False).digest()  # a tint, not a secret
    tint = tuple(max(0, min(255, c + (digest[i] % 40) - 20)) for i, c in enumerate(colour))
    accent = (242, 183, 5)
    image = Image.new("RGB", (600, 600), background)
    draw = ImageDraw.Draw(image)
    for x in range(-600, 600, 60):  # woven-mat texture, a nod to the province's handicrafts
        draw.line((x, 600, x + 600, 0), fill=tuple(min(255, c + 6) for c in background), width=18)
    _shape(draw, shape, tint, accent)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def draw_banner(*, title, subtitle, size=(1600, 600)):
    """A landscape banner for the home page hero and news articles."""
    width, height = size
    image = Image.new("RGB", size, (31, 107, 58))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(40 * y / height)
        draw.line((0, y, width, y), fill=(31 + shade, 107 + shade // 2, 58))
    for i, x in enumerate(range(-200, width, 160)):  # rice terraces
        draw.arc((x, height - 260 + (i % 3) * 30, x + 520, height + 260), 180, 360, fill=(242, 183, 5), width=6)
    draw.ellipse((width - 330, 70, width - 150, 250), fill=(242, 183, 5))
    if title:  # the home page hero overlays its own text, so its banner has none
        draw.text((80, height // 2 - 90), title, font=_font(72, bold=True), fill=(255, 255, 255))
        draw.text((84, height // 2 + 10), subtitle, font=_font(34), fill=(255, 244, 214))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()
