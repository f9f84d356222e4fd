// Package paired holds the statistics of a paired benchmark comparison: base and
// head measured in rounds, round i of each side run next to the other, so that
// whatever the machine did during round i (another job, a frequency change, a
// cold cache) hits both measurements of the pair alike.
//
// A pair is reduced to its log ratio d = ln(head/base). Working on log ratios
// makes a change multiplicative (a 10% slowdown is d = ln 1.1 whatever the
// benchmark's size) and symmetric (twice as slow and twice as fast are ±ln 2).
// The drift between rounds cancels inside each pair; what is left is the paired
// spread, which is what a change has to stand out from.
//
// On the log ratios of one metric the package provides:
//
//   - [SignedRank]: the Wilcoxon signed-rank test of "the ratios are centred on
//     1". It assumes only that, without a change, a ratio is as likely above 1
//     as below (the rounds are interleaved, so neither side is favoured). The
//     p-value is exact (ties handled with mid-ranks) up to [ExactLimit]
//     non-zero pairs and a normal approximation above.
//   - [Shift]: the Hodges-Lehmann estimate of the change (the median of the
//     Walsh averages, the estimator that belongs to the signed-rank test) with
//     its distribution-free confidence interval, so the interval excludes 0
//     exactly when the test rejects at the matching level.
//   - [Resolution]: the smallest change the run could have detected: the shift
//     that, added to this run's own paired noise (resampled), would be flagged
//     by the test at the given significance level and exceed the practical
//     threshold in a stated fraction of resampled runs.
//
// Across metrics, [Holm] and [BenjaminiHochberg] adjust p-values for the number
// of comparisons in a family.
//
// Everything here is a pure function of its inputs (the resampling takes its
// random source as an argument), safe for concurrent use, and allocation is
// proportional to n² for n pairs (the Walsh averages).
package paired
