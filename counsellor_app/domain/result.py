"""Results: report versions, variants, and the researcher-identified review trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ResultKind(StrEnum):
    INITIAL_ANALYSIS = "initial_analysis"
    REANALYSIS = "reanalysis"
    RESEARCHER_IDENTIFIED = "researcher_identified"
    PIPELINE_IMPROVEMENT = "pipeline_improvement"
    ADDITIONAL_FINDING = "additional_finding"


class ResultOutcome(StrEnum):
    CONFIRMED_DIAGNOSIS = "confirmed_diagnosis"
    PARTIAL_EXPLANATION = "partial_explanation"
    NO_CAUSATIVE_VARIANT = "no_causative_variant"
    UNCERTAIN = "uncertain"


class AcmgClass(StrEnum):
    """ACMG classification (GelReportModels ClinicalSignificance, without `excluded`)."""

    PATHOGENIC = "pathogenic"
    LIKELY_PATHOGENIC = "likely_pathogenic"
    UNCERTAIN_SIGNIFICANCE = "uncertain_significance"
    LIKELY_BENIGN = "likely_benign"
    BENIGN = "benign"


class Tier(StrEnum):
    TIER1 = "TIER1"
    TIER2 = "TIER2"
    TIER3 = "TIER3"
    TIER4 = "TIER4"
    TIER5 = "TIER5"
    TIERA = "TIERA"
    TIERB = "TIERB"
    NONE = "NONE"


class Zygosity(StrEnum):
    HETEROZYGOUS = "heterozygous"
    HOMOZYGOUS = "homozygous"
    HEMIZYGOUS = "hemizygous"
    COMPOUND_HETEROZYGOUS = "compound_heterozygous"
    MOSAIC = "mosaic"


class ModeOfInheritance(StrEnum):
    AUTOSOMAL_DOMINANT = "autosomal_dominant"
    AUTOSOMAL_RECESSIVE = "autosomal_recessive"
    X_LINKED_DOMINANT = "x_linked_dominant"
    X_LINKED_RECESSIVE = "x_linked_recessive"
    MITOCHONDRIAL = "mitochondrial"
    DE_NOVO = "de_novo"
    UNKNOWN = "unknown"


class ReviewStage(StrEnum):
    """Review trail of a researcher-identified variant.

    submitted → clinical_review → returned_to_glh | not_returned;
    returned_to_glh → glh_assessment → report_reissued | not_confirmed.
    """

    SUBMITTED = "submitted"
    CLINICAL_REVIEW = "clinical_review"
    RETURNED_TO_GLH = "returned_to_glh"
    NOT_RETURNED = "not_returned"
    GLH_ASSESSMENT = "glh_assessment"
    REPORT_REISSUED = "report_reissued"
    NOT_CONFIRMED = "not_confirmed"


class CounsellorState(StrEnum):
    """Where the clinical team is with a result: new → reviewed → patient_informed."""

    NEW = "new"
    REVIEWED = "reviewed"
    PATIENT_INFORMED = "patient_informed"


class InformedHow(StrEnum):
    LETTER = "letter"
    PHONE = "phone"
    CLINIC = "clinic"


@dataclass(frozen=True, slots=True)
class Variant:
    gene: str
    transcript: str
    hgvs_c: str
    hgvs_p: str | None
    zygosity: Zygosity
    inheritance: ModeOfInheritance
    tier: Tier
    acmg_class: AcmgClass
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    result_id: str
    case_id: str
    participant_id: str
    kind: ResultKind
    outcome: ResultOutcome
    report_version: int
    issued_on: dt.date
    summary: str
    variants: tuple[Variant, ...] = ()
    supersedes: str | None = None  # result_id of the earlier report this one replaces
    superseded_by: str | None = None  # set when a later report replaces this one
    review_stage: ReviewStage | None = None  # researcher-identified variants only
    counsellor_state: CounsellorState = CounsellorState.NEW
    informed_how: InformedHow | None = None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by is not None

    @property
    def is_additional_finding(self) -> bool:
        return self.kind is ResultKind.ADDITIONAL_FINDING
