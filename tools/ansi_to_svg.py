#!/usr/bin/env python3
"""Turns a terminal capture with colours (`tmux capture-pane -e -p`) into an
SVG: a monospace grid on a dark background.

Understands SGR sequences: 16, 256 and truecolour foreground/background,
bold, dim, italic, underline, reverse and their resets. Other escape
sequences are skipped. Wide characters (CJK, some symbols) take two cells.

    python3 tools/ansi_to_svg.py capture.ansi out.svg [--cols 140 --rows 42]
"""

import argparse
import re
import unicodedata
from xml.sax.saxutils import escape

BG = "#1b1d23"
FG = "#d4d4d4"
# The 16 base colours (a muted xterm-like dark palette).
BASE16 = [
    "#1b1d23", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#d4d4d4",
    "#5c6370", "#ff7b86", "#b5e890", "#ffd68a", "#7cc4ff", "#de95f0", "#7fd6e0", "#ffffff",
]

CELL_W = 8.4  # 0.6 em at 14 px
CELL_H = 18
FONT_SIZE = 14
PAD = 12

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESC = re.compile(r"\x1b(\[[0-9;?:]*[A-Za-z]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|.)")


def color256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        r, g, b = steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
        return f"#{r:02x}{g:02x}{b:02x}"
    v = 8 + (n - 232) * 10
    return f"#{v:02x}{v:02x}{v:02x}"


class Style:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "reverse")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def key(self):
        return (self.fg, self.bg, self.bold, self.dim, self.italic, self.underline, self.reverse)

    def apply(self, params):
        # "38:5:3" (colon form) is the same as "38;5;3".
        nums = []
        for p in params.replace(":", ";").split(";"):
            nums.append(int(p) if p.isdigit() else 0)
        if not nums:
            nums = [0]
        i = 0
        while i < len(nums):
            n = nums[i]
            if n == 0:
                self.reset()
            elif n == 1:
                self.bold = True
            elif n == 2:
                self.dim = True
            elif n == 3:
                self.italic = True
            elif n in (4, 21):
                self.underline = True
            elif n == 7:
                self.reverse = True
            elif n == 22:
                self.bold = self.dim = False
            elif n == 23:
                self.italic = False
            elif n == 24:
                self.underline = False
            elif n == 27:
                self.reverse = False
            elif 30 <= n <= 37:
                self.fg = BASE16[n - 30]
            elif 90 <= n <= 97:
                self.fg = BASE16[n - 90 + 8]
            elif 40 <= n <= 47:
                self.bg = BASE16[n - 40]
            elif 100 <= n <= 107:
                self.bg = BASE16[n - 100 + 8]
            elif n == 39:
                self.fg = None
            elif n == 49:
                self.bg = None
            elif n in (38, 48) and i + 1 < len(nums):
                colour = None
                if nums[i + 1] == 5 and i + 2 < len(nums):
                    colour = color256(nums[i + 2] % 256)
                    i += 2
                elif nums[i + 1] == 2 and i + 4 < len(nums):
                    r, g, b = (min(x, 255) for x in nums[i + 2 : i + 5])
                    colour = f"#{r:02x}{g:02x}{b:02x}"
                    i += 4
                if n == 38:
                    self.fg = colour
                else:
                    self.bg = colour
            i += 1


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text, cols, rows):
    """A grid of rows, each a list of (char, style key); wide chars are
    followed by a ("", key) filler cell."""
    grid = []
    style = Style()
    for line in text.split("\n")[:rows]:
        cells = []
        pos = 0
        while pos < len(line):
            m = SGR.match(line, pos)
            if m:
                style.apply(m.group(1))
                pos = m.end()
                continue
            m = OTHER_ESC.match(line, pos)
            if m:
                pos = m.end()
                continue
            ch = line[pos]
            pos += 1
            if ch == "\r" or (ord(ch) < 32 and ch != "\t"):
                continue
            if ch == "\t":
                ch = " "
            w = width(ch)
            if w == 0:
                if cells:
                    c, k = cells[-1]
                    cells[-1] = (c + ch, k)
                continue
            cells.append((ch, style.key()))
            if w == 2:
                cells.append(("", style.key()))
        grid.append(cells[:cols])
    while len(grid) < rows:
        grid.append([])
    return grid


def resolve(key):
    fg, bg, bold, dim, italic, underline, reverse = key
    fg = fg or FG
    bg = bg or BG
    if reverse:
        fg, bg = bg, fg
    return fg, bg, bold, dim, italic, underline


def to_svg(grid, cols, rows, title):
    w = PAD * 2 + cols * CELL_W
    h = PAD * 2 + rows * CELL_H
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
        f'viewBox="0 0 {w:.1f} {h:.0f}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="100%" height="100%" rx="6" fill="{BG}"/>',
        f'<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}" '
        f'xml:space="preserve">',
    ]
    for y, cells in enumerate(grid):
        top = PAD + y * CELL_H
        base = top + CELL_H * 0.75
        # Backgrounds: runs of one colour that differs from the page's.
        x = 0
        while x < len(cells):
            bg = resolve(cells[x][1])[1]
            end = x
            while end < len(cells) and resolve(cells[end][1])[1] == bg:
                end += 1
            if bg != BG:
                out.append(
                    f'<rect x="{PAD + x * CELL_W:.1f}" y="{top}" '
                    f'width="{(end - x) * CELL_W:.1f}" height="{CELL_H}" fill="{bg}"/>'
                )
            x = end
        # Text: runs of one style; each run stretched to its cells so the
        # grid stays exact whatever font the viewer picks.
        x = 0
        while x < len(cells):
            key = cells[x][1]
            end = x
            while end < len(cells) and cells[end][1] == key:
                end += 1
            run = "".join(c for c, _ in cells[x:end])
            if run.strip():
                fg, _, bold, dim, italic, underline = resolve(key)
                attrs = [f'x="{PAD + x * CELL_W:.1f}"', f'y="{base:.1f}"', f'fill="{fg}"']
                attrs.append(f'textLength="{(end - x) * CELL_W:.1f}" lengthAdjust="spacingAndGlyphs"')
                if bold:
                    attrs.append('font-weight="bold"')
                if italic:
                    attrs.append('font-style="italic"')
                if dim:
                    attrs.append('opacity="0.6"')
                if underline:
                    attrs.append('text-decoration="underline"')
                out.append(f"<text {' '.join(attrs)}>{escape(run)}</text>")
            x = end
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--cols", type=int, default=140)
    ap.add_argument("--rows", type=int, default=42)
    ap.add_argument("--title", default="newsline")
    a = ap.parse_args()
    with open(a.input, encoding="utf-8", errors="replace") as f:
        text = f.read()
    grid = parse(text, a.cols, a.rows)
    with open(a.output, "w", encoding="utf-8") as f:
        f.write(to_svg(grid, a.cols, a.rows, a.title))


if __name__ == "__main__":
    main()
