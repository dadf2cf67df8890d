/**
 * `@kyso/cli/evidence`: the Circular 15/2025/TT-BKHCN report and the receiving clerk's evidence folder as a
 * library (docs/decisions/0025). Gather the facts with `gatherFacts(pdf, { collectEvidence: true, … })`, judge
 * them with `judge`, then {@link buildEvidence} (files in memory) or {@link writeEvidence} (an atomic folder).
 */
export { buildEvidence, checkEvidenceTarget, writeEvidence, type EvidenceFile, type EvidenceInput, type EvidenceManifest } from './write.js';
export { ANNEX_II, circular15View, type AnnexIICriterion, type Circular15Signature, type Circular15View, type CriterionResult } from './circular15.js';
export { formatReportHtml } from '../report-html.js';
