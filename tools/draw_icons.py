"""Draws the installable web app's icons (issue 17 part 8) into static/renda/icons/: our own drawing, no
copied art. A red field, a gold five-pointed star over a ballot slip, as on the township's name plates.

    .venv/bin/python tools/draw_icons.py

The PNGs are committed; run this again only when the drawing changes. `maskable` icons keep the drawing
inside the central 80 % safe zone, so a launcher may crop them to a circle."""

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "renda" / "icons"
RED, GOLD, PAPER = (183, 28, 28), (255, 202, 40), (255, 248, 225)


def star(cx, cy, r_out, r_in, points=5):
    pts = []
    for i in range(points * 2):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / points
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * 4  # drawn large, then scaled down: smooth edges without an anti-aliasing library
    img = Image.new("RGB" if maskable else "RGBA", (big, big), RED if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    if not maskable:
        d.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=RED)
    scale = 0.8 if maskable else 1.0  # the safe zone of a maskable icon
    u = big * scale
    o = (big - u) / 2
    # the ballot slip
    d.rounded_rectangle(
        (o + u * 0.22, o + u * 0.50, o + u * 0.78, o + u * 0.86), radius=int(u * 0.04), fill=PAPER
    )
    for i in range(3):
        y = o + u * (0.60 + i * 0.08)
        d.rectangle((o + u * 0.30, y, o + u * (0.70 - 0.1 * (i == 2)), y + u * 0.03), fill=RED)
    # the star
    d.polygon(star(o + u * 0.5, o + u * 0.32, u * 0.2, u * 0.08), fill=GOLD)
    return img.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        draw(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)
    draw(180, maskable=True).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
