// Package trend finds change points in a benchmark's history: the commits
// after which a figure moved for good, not by noise.
//
// # Method
//
// A history is one series per benchmark and metric, in commit order. Change
// points are found by E-divisive means with a permutation significance test,
// as MongoDB's CI (Daly et al., "The Use of Change Point Detection to Identify
// Software Performance Regressions in a Continuous Integration System",
// ICPE 2020) and Apache Otava/Hunter (Fleming et al., "Hunter: Using Change
// Point Detection to Hunt for Performance Regressions", ICPE 2023) apply it,
// after Matteson and James ("A Nonparametric Approach for Multiple Change Point
// Analysis of Multivariate Data", JASA 109(505), 2014):
//
//  1. For a segment Z and every split τ into X = Z[:τ] and Y = Z[τ:], the
//     energy statistic q̂(τ) = m·n/(m+n) · Ê(X, Y), where
//     Ê = 2/(mn)·Σ|Xi−Yj| − Σ_{i<k}|Xi−Xk|/C(m,2) − Σ_{j<k}|Yj−Yk|/C(n,2)
//     (exponent α = 1), is largest where the two sides' distributions differ
//     most. The split with the largest q̂ is the candidate.
//  2. Its significance: the segment is permuted Permutations times and the
//     largest q̂ of each permutation recorded; the p-value is the share of
//     permutations (plus the observed order) whose maximum reaches the
//     observed one. A candidate with p ≤ Alpha is a change point.
//  3. Accepted change points split their segment, and each part is searched
//     again (binary segmentation), until no candidate is significant or a
//     part is shorter than twice MinSegment.
//
// The statistic works on ranks of distance, not on means, so one outlier moves
// it little and bimodal noise (this project's machines switch between two
// throughput modes) is not mistaken for a step unless the modes themselves
// change at one point.
//
// # Magnitude
//
// Each change point is reported with the relative change of the median of the
// segment after it against the segment before it, and a bootstrap percentile
// interval of that ratio (resampling both segments). A figure where smaller is
// better (time/op, latency) regresses when it rises; one where bigger is
// better (throughput) when it falls.
package trend
