#!/usr/bin/env python3
"""Writes the base score of every CVSS v3 and v2 base vector, computed with
exact rational arithmetic, as a reference for the floating-point code.

    python3 cvss_reference.py   # writes cvss3_base.txt and cvss2_base.txt

v3: the equations of the CVSS v3.1 specification (section 7.1) and its
Roundup (appendix A) applied to the exact value. v2: the base equation of
the CVSS v2 guide (section 3.2.1), rounded half up to one decimal.
"""
from fractions import Fraction as F
from itertools import product
from math import floor
from pathlib import Path

HERE = Path(__file__).parent


def roundup_v31(x):
    int_input = floor(x * 100000 + F(1, 2))
    if int_input % 10000 == 0:
        return F(int_input, 100000)
    return F(floor(F(int_input, 10000)) + 1, 10)


def v3(av, ac, pr, ui, s, c, i, a):
    changed = s == "C"
    w_av = {"N": F("0.85"), "A": F("0.62"), "L": F("0.55"), "P": F("0.2")}[av]
    w_ac = {"L": F("0.77"), "H": F("0.44")}[ac]
    w_pr = {"N": F("0.85"), "L": F("0.68") if changed else F("0.62"),
            "H": F("0.5") if changed else F("0.27")}[pr]
    w_ui = {"N": F("0.85"), "R": F("0.62")}[ui]
    cia = {"H": F("0.56"), "L": F("0.22"), "N": F(0)}
    iss = 1 - (1 - cia[c]) * (1 - cia[i]) * (1 - cia[a])
    if changed:
        impact = F("7.52") * (iss - F("0.029")) - F("3.25") * (iss - F("0.02")) ** 15
    else:
        impact = F("6.42") * iss
    if impact <= 0:
        return F(0)
    exploitability = F("8.22") * w_av * w_ac * w_pr * w_ui
    total = impact + exploitability
    if changed:
        total = F("1.08") * total
    return roundup_v31(min(total, F(10)))


def v2(av, ac, au, c, i, a):
    w_av = {"L": F("0.395"), "A": F("0.646"), "N": F(1)}[av]
    w_ac = {"H": F("0.35"), "M": F("0.61"), "L": F("0.71")}[ac]
    w_au = {"M": F("0.45"), "S": F("0.56"), "N": F("0.704")}[au]
    cia = {"N": F(0), "P": F("0.275"), "C": F("0.660")}
    impact = F("10.41") * (1 - (1 - cia[c]) * (1 - cia[i]) * (1 - cia[a]))
    if impact == 0:
        return F(0)
    exploitability = 20 * w_av * w_ac * w_au
    base = (F("0.6") * impact + F("0.4") * exploitability - F("1.5")) * F("1.176")
    return F(floor(base * 10 + F(1, 2)), 10)


def tenths(x):
    t = x * 10
    assert t.denominator == 1
    return f"{t.numerator // 10}.{t.numerator % 10}"


with open(HERE / "cvss3_base.txt", "w") as out:
    for m in product("NALP", "LH", "NLH", "NR", "UC", "HLN", "HLN", "HLN"):
        vec = "AV:{}/AC:{}/PR:{}/UI:{}/S:{}/C:{}/I:{}/A:{}".format(*m)
        out.write(f"{vec} {tenths(v3(*m))}\n")

with open(HERE / "cvss2_base.txt", "w") as out:
    for m in product("LAN", "HML", "MSN", "NPC", "NPC", "NPC"):
        vec = "AV:{}/AC:{}/Au:{}/C:{}/I:{}/A:{}".format(*m)
        out.write(f"{vec} {tenths(v2(*m))}\n")
