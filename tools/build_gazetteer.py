#!/usr/bin/env python3
"""Builds assets/gazetteer/countries.tsv, the table newsline's country
extractor embeds.

Usage (from the repository root):

    python3 tools/build_gazetteer.py            # fetches the npm packages
    python3 tools/build_gazetteer.py --from DIR # uses tarballs already in DIR

Sources:
  * npm `cldr-localenames-full` (Unicode CLDR, Unicode-3.0): English territory
    names, including the -alt-short and -alt-variant forms. Only
    `main/en/territories.json` is read.
  * npm `i18n-iso-countries` (MIT): English names and aliases
    (`langs/en.json`).
  * assets/gazetteer/curated.tsv (this project): demonyms, capitals, places,
    institutions, press forms, display names, ambiguity flags, and phrases
    that block a country word inside them.

The packages are fetched with `npm pack` into a temporary folder (nothing is
installed in the repository); the JSON is read straight from the tarballs.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata

CLDR_PKG = "cldr-localenames-full@48.2.0"
I18N_PKG = "i18n-iso-countries@7.14.0"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ASSETS = os.path.join(ROOT, "assets", "gazetteer")

# CLDR territory codes that are not ISO 3166-1 countries: supranational
# groupings, exceptionally reserved codes and private-use pseudo-regions.
# XK (Kosovo) is kept: CLDR and most agencies use it for a state that the
# news treats as a country.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}

# When one phrase is listed under several kinds for one code, keep the first.
CUE_ORDER = ["name", "demonym", "capital", "institution", "place"]


def fetch(pkgs, dest):
    """Runs `npm pack` for each package into dest; returns tarball paths."""
    out = subprocess.run(
        ["npm", "pack", "--silent", "--pack-destination", dest, *pkgs],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    return [os.path.join(dest, name) for name in out]


def read_json(tarball, member):
    with tarfile.open(tarball) as tar:
        f = tar.extractfile("package/" + member)
        return json.load(f), tar.extractfile("package/LICENSE").read().decode("utf-8")


def find_tarball(folder, prefix):
    for name in sorted(os.listdir(folder)):
        if name.startswith(prefix) and name.endswith(".tgz"):
            return os.path.join(folder, name)
    sys.exit(f"no {prefix}*.tgz in {folder}")


def ascii_fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def variants(phrase):
    """Spellings a text may use for the same name: '&'/'and', 'St.'/'Saint',
    straight/curly apostrophes, with and without diacritics."""
    out = {phrase}
    for v in list(out):
        if " & " in v:
            out.add(v.replace(" & ", " and "))
    for v in list(out):
        if v.startswith("St. "):
            out.add("Saint " + v[4:])
            out.add("St " + v[4:])
        elif v.startswith("Saint "):
            out.add("St. " + v[6:])
    for v in list(out):
        if "'" in v:
            out.add(v.replace("'", "\u2019"))
        if "\u2019" in v:
            out.add(v.replace("\u2019", "'"))
    for v in list(out):
        folded = ascii_fold(v)
        if folded != v:
            out.add(folded)
    return out


def registry_name_unusable(name):
    # Inverted ("Korea, Republic of") and qualified ("Congo - Kinshasa") forms
    # never occur in running text.
    return ", " in name or " - " in name


def strip_parens(name):
    if "(" in name:
        return name.split("(")[0].strip()
    return name


def plural(demonym):
    """Regular English plural of a people noun ('Israeli' -> 'Israelis'),
    or None when the form is its own plural or irregular."""
    last = demonym.split()[-1]
    if last.endswith("man") or last.endswith("ese"):
        return None
    if last.endswith(("an", "i", "ot", "er", "o")):
        return demonym + "s"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--from", dest="src", help="folder with the two npm tarballs")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.src:
            cldr_tgz = find_tarball(args.src, "cldr-localenames-full-")
            i18n_tgz = find_tarball(args.src, "i18n-iso-countries-")
        else:
            cldr_tgz, i18n_tgz = fetch([CLDR_PKG, I18N_PKG], tmp)
        cldr, cldr_lic = read_json(cldr_tgz, "main/en/territories.json")
        i18n, i18n_lic = read_json(i18n_tgz, "langs/en.json")
    territories = cldr["main"]["en"]["localeDisplayNames"]["territories"]

    codes = sorted(k for k in territories if len(k) == 2 and k.isalpha() and k not in NOT_COUNTRIES)
    code_set = set(codes)

    # rows[(code, lower phrase)] = [code, cue, phrase, flags set, source]
    rows = {}
    display = {}
    curated_display = set()
    dropped = set()

    def add(code, cue, phrase, flags, source):
        key = (code, phrase.lower())
        old = rows.get(key)
        if old is None:
            rows[key] = [code, cue, phrase, set(flags), source]
            return
        old[3] |= set(flags)
        if CUE_ORDER.index(cue) < CUE_ORDER.index(old[1]):
            old[1] = cue

    # Curated first for drops and display names; its other rows after the
    # registries so that their flags merge onto the registry rows.
    curated = []
    with open(os.path.join(ASSETS, "curated.tsv"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                sys.exit(f"curated.tsv:{n}: expected code, kind, phrases")
            code, kind, phrases = parts[0], parts[1], parts[2]
            flags = [x for x in (parts[3].split(",") if len(parts) > 3 else []) if x]
            if code != "-" and code not in code_set:
                sys.exit(f"curated.tsv:{n}: unknown code {code}")
            for phrase in phrases.split("|"):
                if kind == "display":
                    display[code] = phrase
                    curated_display.add(code)
                elif kind == "drop":
                    dropped.add((code, phrase.lower()))
                else:
                    curated.append((code, kind, phrase, flags))

    for key, value in territories.items():
        code = key[:2]
        if code not in code_set:
            continue
        if key == code:
            display.setdefault(code, value.replace(" & ", " and "))
        if registry_name_unusable(value):
            continue
        for v in variants(strip_parens(value)):
            add(code, "name", v, [], "cldr")
    for code, value in i18n["countries"].items():
        if code not in code_set:
            continue
        for name in value if isinstance(value, list) else [value]:
            if registry_name_unusable(name):
                continue
            for v in variants(strip_parens(name)):
                add(code, "name", v, [], "i18n-iso-countries")

    blocks = {}
    for code, kind, phrase, flags in curated:
        forms = {phrase: "curated"}
        if kind == "demonym" and plural(phrase):
            forms[plural(phrase)] = "curated+plural"
        for form, source in forms.items():
            for v in variants(form):
                if kind == "block":
                    blocks[v.lower()] = v
                else:
                    add(code, kind, v, flags, source)

    for key in dropped:
        rows.pop(key, None)

    by_phrase = {}
    for (code, low), row in rows.items():
        by_phrase.setdefault(low, set()).add(code)
    clashes = {p: c for p, c in by_phrase.items() if len(c) > 1 or p in blocks}
    if clashes:
        for p, c in sorted(clashes.items()):
            print(f"ambiguous phrase {p!r}: {sorted(c)}{' and a block' if p in blocks else ''}", file=sys.stderr)
        sys.exit("resolve these in curated.tsv (drop, or a block)")

    missing = [c for c in codes if c not in display]
    if missing:
        sys.exit(f"no display name for {missing}")

    out = [
        "# Generated by tools/build_gazetteer.py from Unicode CLDR (cldr-localenames-full),",
        "# i18n-iso-countries and assets/gazetteer/curated.tsv. Do not edit: edit curated.tsv and rebuild.",
        "# code\tcue\tphrase\tflags\tsource",
    ]
    for code in codes:
        out.append(f"{code}\tdisplay\t{display[code]}\t\t{'curated' if code in curated_display else 'cldr'}")
    # Stable sort: within a code and cue, registry names come first and
    # curated phrases keep their file order (the first demonym listed is the
    # usual adjective, which `demonym()` returns).
    for row in sorted(rows.values(), key=lambda r: (r[0], CUE_ORDER.index(r[1]))):
        code, cue, phrase, flags, source = row
        out.append(f"{code}\t{cue}\t{phrase}\t{','.join(sorted(flags))}\t{source}")
    for phrase in sorted(blocks.values()):
        out.append(f"-\tblock\t{phrase}\t\tcurated")
    with open(os.path.join(ASSETS, "countries.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    with open(os.path.join(ASSETS, "LICENSE-CLDR"), "w", encoding="utf-8") as f:
        f.write(cldr_lic)
    with open(os.path.join(ASSETS, "LICENSE-i18n-iso-countries"), "w", encoding="utf-8") as f:
        f.write(i18n_lic)

    cues = {}
    for row in rows.values():
        cues.setdefault(row[1], set()).add(row[0])
    print(f"{len(codes)} codes, {len(rows)} phrases, {len(blocks)} blocks")
    for cue in CUE_ORDER:
        print(f"  {cue}: {len(cues.get(cue, ()))} codes")


if __name__ == "__main__":
    main()
