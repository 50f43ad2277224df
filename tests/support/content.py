"""The pathways content/ must have: every one in force that the issue names, by category."""
from __future__ import annotations

CANCER = [f"cancer-{name}" for name in (
    "breast", "lung", "colorectal", "prostate", "bladder", "kidney", "penile", "testicular", "ovarian",
    "endometrial", "cervical", "pancreas", "biliary", "liver-primary", "oesophagus-stomach", "head-neck",
    "thyroid", "brain", "melanoma", "lymphoma", "myeloma", "sarcoma", "children", "net", "cup-metastases",
    "diagnostic")]
REMOVED_IN_2021 = ["cancer-cll", "cancer-acute-leukaemia-mds"]
# The pathways a referral to specialist care starts (each assesses it within the law's working days).
REFERRED_MENTAL_HEALTH = ["phr-adults", "phr-children-youth", "phr-tsb", "phr-psychosis",
                          "phr-eating-disorders-children", "phr-ocd", "phr-pregnant-substance-use"]
# The child welfare service starts and coordinates this one; it has no figures.
MENTAL_HEALTH = REFERRED_MENTAL_HEALTH + ["phr-child-welfare"]
LONG_TERM = ["npf-pain"]
HOME = ["hph", "cancer-home-pathway"]
LISTED = CANCER + MENTAL_HEALTH + LONG_TERM + HOME  # on the public pages; the packages removed in 2021 are not
