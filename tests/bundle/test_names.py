from __future__ import annotations

from pathlib import Path

import pytest

from workbench.bundle.names import normalize_scenario_name, safe_child

# Every vector from awm-format.md §6.1.
VECTORS = [
    ("Amazon", "amazon"),
    ("Twitter/X", "twitter_x"),
    ("DocuSign (E-Signature & Agreement Workflow)", "docusign_e_signature_agreement_workflow"),
    ("E_Commerce_33", "e_commerce_33"),
    ("My App - v2!", "my_app_v2"),
    ("__test__", "test"),
    ("foo___bar", "foo_bar"),
    ("Café Münster", "caf_m_nster"),
    ("İstanbul Taxi", "i_stanbul_taxi"),
    ("Booking.com", "booking_com"),
    ("  spaced  name  ", "spaced_name"),
    ("---", ""),
    ("Ω", ""),
    # awm-format.md lists "K (U+212A) followed by elvin" -> "kkelvin". The algorithm it describes
    # (Unicode lower(), then [^a-z0-9_] -> "_") maps U+212A to ASCII "k", so "\u212aelvin" gives
    # "kelvin"; "kkelvin" is what "\u212aKelvin" gives. Both readings are pinned here.
    ("\u212aelvin", "kelvin"),
    ("\u212aKelvin", "kkelvin"),
]


@pytest.mark.parametrize(("raw", "expected"), VECTORS)
def test_normalize_matches_awm(raw: str, expected: str) -> None:
    assert normalize_scenario_name(raw) == expected


@pytest.mark.parametrize("slug", ["", ".", "..", "../etc", "a/b", "x\x00y"])
def test_safe_child_refuses_escapes(tmp_path: Path, slug: str) -> None:
    with pytest.raises(ValueError):
        safe_child(tmp_path, slug)


def test_safe_child_accepts_plain(tmp_path: Path) -> None:
    assert safe_child(tmp_path, "rover") == tmp_path.resolve() / "rover"
