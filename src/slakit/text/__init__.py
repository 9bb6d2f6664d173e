"""Text matching shared by triage and assignment: one normalisation, one keyword index.

:func:`normalise_text` is applied to ticket text *and* to keywords (NFKC, case folding,
traditional to simplified Chinese, whitespace), so the two always agree; the keyword index
behind :class:`slakit.triage.KeywordRule` matches many keywords in one linear scan.
"""

from slakit.text._normalise import NormalisedText, normalise_text

__all__ = ["NormalisedText", "normalise_text"]
