"""Synthetic results for one case: report versions, variants and researcher-identified trails."""

from __future__ import annotations

import datetime as dt
from random import Random

from counsellor_app.demo.clinical import (
    ADDITIONAL_FINDINGS,
    AMINO_ACIDS,
    BASES,
    CANCERS,
    RARE_DISEASES,
    SOMATIC,
    KnownVariant,
)
from counsellor_app.demo.draws import Weighted, day_between
from counsellor_app.demo.fast_enums import fast_members
from counsellor_app.demo.life import Ids, Life
from counsellor_app.demo.scenarios import ResultPlan, Story
from counsellor_app.domain.participant import Programme
from counsellor_app.domain.result import (
    AcmgClass,
    CounsellorState,
    InformedHow,
    ModeOfInheritance,
    Result,
    ResultKind,
    ResultOutcome,
    ReviewStage,
    Tier,
    Variant,
    Zygosity,
)

KIND = fast_members(ResultKind)
OUTCOME = fast_members(ResultOutcome)
STAGE = fast_members(ReviewStage)
STATE = fast_members(CounsellorState)
HOW = fast_members(InformedHow)
TIER = fast_members(Tier)
ACMG = fast_members(AcmgClass)
ZYGOSITY = fast_members(Zygosity)
INHERITANCE = fast_members(ModeOfInheritance)
PROGRAMME = fast_members(Programme)
STORY = fast_members(Story)


_COUNT = Weighted(((1, 55), (2, 30), (3, 15)))
_INITIAL_OUTCOME = Weighted(
    ((OUTCOME.CONFIRMED_DIAGNOSIS, 25), (OUTCOME.PARTIAL_EXPLANATION, 7),
     (OUTCOME.NO_CAUSATIVE_VARIANT, 53), (OUTCOME.UNCERTAIN, 15))
)
_LATER_OUTCOME = Weighted(
    ((OUTCOME.CONFIRMED_DIAGNOSIS, 15), (OUTCOME.PARTIAL_EXPLANATION, 5),
     (OUTCOME.NO_CAUSATIVE_VARIANT, 60), (OUTCOME.UNCERTAIN, 20))
)
_LATER_KIND = Weighted(
    ((KIND.REANALYSIS, 40), (KIND.PIPELINE_IMPROVEMENT, 20), (KIND.RESEARCHER_IDENTIFIED, 20),
     (KIND.ADDITIONAL_FINDING, 20))
)
_STAGE = Weighted(
    ((STAGE.SUBMITTED, 20), (STAGE.CLINICAL_REVIEW, 20),
     (STAGE.RETURNED_TO_GLH, 10), (STAGE.NOT_RETURNED, 15),
     (STAGE.GLH_ASSESSMENT, 10), (STAGE.REPORT_REISSUED, 15),
     (STAGE.NOT_CONFIRMED, 10))
)
_STATE = Weighted(
    ((STATE.NEW, 10), (STATE.REVIEWED, 30),
     (STATE.PATIENT_INFORMED, 60))
)
_HOW = Weighted(((HOW.LETTER, 50), (HOW.CLINIC, 35), (HOW.PHONE, 15)))
_STAGE_OUTCOME = {
    STAGE.REPORT_REISSUED: OUTCOME.CONFIRMED_DIAGNOSIS,
    STAGE.NOT_RETURNED: OUTCOME.NO_CAUSATIVE_VARIANT,
    STAGE.NOT_CONFIRMED: OUTCOME.NO_CAUSATIVE_VARIANT,
}
_PANEL_GENES = (
    ("NSD1", "NM_022455.5"), ("SETD5", "NM_001080517.3"), ("CHD7", "NM_017780.4"),
    ("SCN2A", "NM_021007.3"), ("TTN", "NM_001267550.2"), ("COL1A1", "NM_000088.4"),
)
_STAGE_TEXT = {
    STAGE.SUBMITTED: "submitted by the research network; awaiting clinical review",
    STAGE.CLINICAL_REVIEW: "under review by the clinical team",
    STAGE.RETURNED_TO_GLH: "returned to the laboratory for assessment",
    STAGE.NOT_RETURNED: "reviewed; not considered relevant to the referral",
    STAGE.GLH_ASSESSMENT: "being assessed by the laboratory",
    STAGE.REPORT_REISSUED: "confirmed by the laboratory; report reissued",
    STAGE.NOT_CONFIRMED: "the laboratory could not confirm it",
}


def random_result_plans(rng: Random, life: Life, *, parent: bool) -> tuple[ResultPlan, ...]:
    """Results drawn at random: a proband has 1-3; a parent at most an additional finding."""
    af_allowed = not ({STORY.AF_DECLINED} & life.stories)
    if parent:
        if af_allowed and rng.random() < 0.12:
            return (ResultPlan(KIND.ADDITIONAL_FINDING, OUTCOME.CONFIRMED_DIAGNOSIS),)
        return ()
    if (life.reference_date - life.recruited).days < 120:
        return ()  # too soon: the case is still awaiting its first report
    first = ResultPlan(KIND.INITIAL_ANALYSIS, _INITIAL_OUTCOME(rng),
                       superseded=rng.random() < 0.04)
    plans = [first]
    for _ in range(_COUNT(rng) - 1):
        kind = _LATER_KIND(rng)
        if kind is KIND.ADDITIONAL_FINDING and not af_allowed:
            kind = KIND.REANALYSIS
        if kind is KIND.RESEARCHER_IDENTIFIED:
            stage = _STAGE(rng)
            plans.append(ResultPlan(kind, _STAGE_OUTCOME.get(stage, OUTCOME.UNCERTAIN),
                                    review_stage=stage))
        elif kind is KIND.ADDITIONAL_FINDING:
            plans.append(ResultPlan(kind, OUTCOME.CONFIRMED_DIAGNOSIS))
        else:
            plans.append(ResultPlan(kind, _LATER_OUTCOME(rng), superseded=rng.random() < 0.03))
    return tuple(plans)


class ResultWriter:
    """Turns result plans into Result records with dates that fit the participant's story."""

    def __init__(self, rng: Random, ids: Ids) -> None:
        self._rng = rng
        self._ids = ids

    def write(
        self, life: Life, case_id: str, plans: tuple[ResultPlan, ...], *, draw_states: bool
    ) -> list[Result]:
        rng = self._rng
        out: list[Result] = []
        ref = life.reference_date
        span = max((ref - life.recruited).days, 1)
        count = len(plans)
        stopped = life.first_change if STORY.NO_FURTHER_USE in life.stories else None
        for index, plan in enumerate(plans):
            issued = self._issue_day(life, plan, index, count, span)
            if stopped is not None and issued >= stopped:
                break  # no further use of the data: no new analysis after the withdrawal
            variants = self._variants(life, plan)
            summary = _summary(plan, variants, life.reason)
            state, how = plan.state, plan.informed_how
            if draw_states:
                state, how = self._state(life, plan, issued)
            result_id = self._ids.result()
            if plan.superseded:
                later_id = self._ids.result()
                reissued = day_between(rng, issued + dt.timedelta(days=14),
                                       issued + dt.timedelta(days=120))
                reissued = min(reissued, ref)
                out.append(Result(
                    result_id, case_id, life.participant_id, plan.kind, plan.outcome, 1, issued,
                    summary, variants, superseded_by=later_id, review_stage=plan.review_stage,
                    counsellor_state=state, informed_how=how,
                ))
                out.append(Result(
                    later_id, case_id, life.participant_id, plan.kind, plan.outcome, 2, reissued,
                    f"Corrected report (version 2): variant nomenclature updated. {summary}",
                    variants, supersedes=result_id, review_stage=plan.review_stage,
                ))
            else:
                out.append(Result(
                    result_id, case_id, life.participant_id, plan.kind, plan.outcome, 1, issued,
                    summary, variants, review_stage=plan.review_stage,
                    counsellor_state=state, informed_how=how,
                ))
        return out

    def _issue_day(
        self, life: Life, plan: ResultPlan, index: int, count: int, span: int
    ) -> dt.date:
        rng = self._rng
        if plan.kind is KIND.ADDITIONAL_FINDING:
            if STORY.AF_DECLINED_THEN_GRANTED in life.stories:
                return day_between(rng, life.first_change + dt.timedelta(days=7),
                                   life.reference_date)
            if STORY.AF_WITHDRAWN_LATER in life.stories:
                return day_between(rng, life.recruited + dt.timedelta(days=30),
                                   life.first_change - dt.timedelta(days=14))
        if index == 0:
            low, high = 0.12, 0.3
        else:
            low = 0.35 + 0.6 * (index - 1) / count
            high = 0.35 + 0.6 * index / count
        offset = int(span * (low + (high - low) * rng.random()))
        return min(life.recruited + dt.timedelta(days=max(offset, 30)), life.reference_date)

    def _state(
        self, life: Life, plan: ResultPlan, issued: dt.date
    ) -> tuple[CounsellorState, InformedHow | None]:
        rng = self._rng
        if plan.kind is KIND.RESEARCHER_IDENTIFIED and plan.review_stage is not \
                STAGE.REPORT_REISSUED:
            return (STATE.NEW if rng.random() < 0.6 else STATE.REVIEWED), None
        if (life.reference_date - issued).days < 30:
            return STATE.NEW, None
        state = _STATE(rng)
        blocked = life.contact_blocked_from()
        if state is STATE.PATIENT_INFORMED and blocked is not None and issued >= blocked:
            state = STATE.REVIEWED
        if state is STATE.PATIENT_INFORMED:
            return state, _HOW(rng)
        return state, None

    def _variants(self, life: Life, plan: ResultPlan) -> tuple[Variant, ...]:
        rng = self._rng
        if plan.kind is KIND.ADDITIONAL_FINDING:
            known = _pick(rng, ADDITIONAL_FINDINGS, plan.variant_index)
            acmg = ACMG.PATHOGENIC if rng.random() < 0.7 else ACMG.LIKELY_PATHOGENIC
            return (_variant(known, TIER.NONE, acmg),)
        pool = _pool(life.programme, life.reason)
        somatic = life.programme is PROGRAMME.CANCER and life.reason in SOMATIC
        outcome = plan.outcome
        if outcome is OUTCOME.CONFIRMED_DIAGNOSIS and pool:
            known = _pick(rng, pool, plan.variant_index)
            acmg = ACMG.PATHOGENIC if rng.random() < 0.75 else ACMG.LIKELY_PATHOGENIC
            return (_variant(known, TIER.TIERA if somatic else TIER.TIER1, acmg),)
        if outcome is OUTCOME.PARTIAL_EXPLANATION and pool:
            known = _pick(rng, pool, plan.variant_index)
            tier = TIER.TIERB if somatic else TIER.TIER2
            return (_variant(known, tier, ACMG.LIKELY_PATHOGENIC),
                    self._uncertain(pool, TIER.TIER3))
        if outcome in (OUTCOME.UNCERTAIN, OUTCOME.CONFIRMED_DIAGNOSIS, OUTCOME.PARTIAL_EXPLANATION):
            return (self._uncertain(pool, TIER.TIERB if somatic else TIER.TIER2),)
        if rng.random() < 0.15:
            benign = rng.choice((ACMG.LIKELY_BENIGN, ACMG.BENIGN))
            tier = rng.choice((TIER.TIER3, TIER.TIER4, TIER.TIER5))
            return (self._uncertain(pool, tier, benign),)
        return ()

    def _uncertain(
        self,
        pool: tuple[KnownVariant, ...],
        tier: Tier,
        acmg: AcmgClass = ACMG.UNCERTAIN_SIGNIFICANCE,
    ) -> Variant:
        """A missense variant at a random position in a gene that could fit the referral."""
        rng = self._rng
        coding = [(v.gene, v.transcript) for v in pool if v.transcript.startswith("NM_")]
        gene, transcript = rng.choice(coding or _PANEL_GENES)
        codon = rng.randint(20, 2400)
        ref_base = rng.choice(BASES)
        alt_base = BASES[(BASES.index(ref_base) + rng.randint(1, 3)) % 4]
        ref_aa = rng.choice(AMINO_ACIDS)
        alt_aa = AMINO_ACIDS[(AMINO_ACIDS.index(ref_aa) + rng.randint(1, 19)) % 20]
        return Variant(
            gene, transcript, f"c.{codon * 3 - rng.randint(0, 2)}{ref_base}>{alt_base}",
            f"p.({ref_aa}{codon}{alt_aa})", ZYGOSITY.HETEROZYGOUS, INHERITANCE.UNKNOWN,
            tier, acmg,
        )


def _pool(programme: Programme, reason: str) -> tuple[KnownVariant, ...]:
    if programme is PROGRAMME.CANCER:
        return CANCERS.get(reason) or SOMATIC.get(reason, ())
    return RARE_DISEASES.get(reason, ())


def _pick(rng: Random, pool: tuple[KnownVariant, ...], index: int | None) -> KnownVariant:
    if index is not None:
        return pool[index % len(pool)]
    return rng.choice(pool)


def _variant(known: KnownVariant, tier: Tier, acmg: AcmgClass) -> Variant:
    return Variant(known.gene, known.transcript, known.hgvs_c, known.hgvs_p, known.zygosity,
                   known.inheritance, tier, acmg, known.condition)


def _summary(plan: ResultPlan, variants: tuple[Variant, ...], reason: str) -> str:
    lead = variants[0] if variants else None
    if plan.kind is KIND.ADDITIONAL_FINDING and lead is not None:
        return (f"Additional finding: {lead.condition} ({lead.gene} {lead.hgvs_c}). "
                "Actionable; offer referral to the appropriate clinic.")
    if plan.kind is KIND.RESEARCHER_IDENTIFIED and lead is not None and plan.review_stage:
        return (f"Researcher-identified variant in {lead.gene} {lead.hgvs_c}: "
                f"{_STAGE_TEXT[plan.review_stage]}.")
    outcome = plan.outcome
    if outcome is OUTCOME.CONFIRMED_DIAGNOSIS and lead is not None:
        what = lead.condition or reason
        return f"Confirmed diagnosis: {what} ({lead.gene} {lead.hgvs_c})."
    if outcome is OUTCOME.PARTIAL_EXPLANATION and lead is not None:
        return (f"Partial explanation: a {lead.gene} variant explains part of the presentation "
                f"of {reason.lower()}.")
    if outcome is OUTCOME.UNCERTAIN and lead is not None:
        return (f"Variant of uncertain significance in {lead.gene}; not enough evidence to "
                "explain the condition. Review if new evidence emerges.")
    return f"No causative variant found in the genes analysed for {reason.lower()}."
