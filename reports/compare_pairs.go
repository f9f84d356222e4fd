package reports

// RoundKey is the benchfmt configuration key that labels the round a benchmark
// line was measured in. scripts/regress.sh writes a "round: N" line before each
// run of each side, so that base.txt and head.txt say which measurements ran
// next to each other; [Compare] pairs them by it. (benchstat treats it as a
// configuration key like any other: run `benchstat -ignore round base.txt
// head.txt` to pool the rounds as before.)
const RoundKey = "round"

// pairByRound returns the base and head values of k that share a round label,
// in base's order. A label repeated within a side (several lines of one
// benchmark in one round, e.g. -count 2) pairs its n-th base value with its n-th
// head value. ok is false when either side has a measurement without a label:
// such input was not recorded in rounds, and pairing it by position would claim
// a pairing that never happened. dropped counts the labelled values left without
// a partner.
func pairByRound(base, head *Samples, k MetricKey) (b, h []float64, dropped int, ok bool) {
	bv, hv := base.Values[k], head.Values[k]
	br, hr := base.Rounds[k], head.Rounds[k]
	if len(br) != len(bv) || len(hr) != len(hv) {
		return nil, nil, 0, false
	}
	for _, labels := range [][]string{br, hr} {
		for _, l := range labels {
			if l == "" {
				return nil, nil, 0, false
			}
		}
	}
	headAt := map[string][]int{} // label → indices into hv, in order
	for i, l := range hr {
		headAt[l] = append(headAt[l], i)
	}
	used := map[string]int{}
	for i, l := range br {
		j := used[l]
		if j >= len(headAt[l]) {
			dropped++
			continue
		}
		used[l] = j + 1
		b = append(b, bv[i])
		h = append(h, hv[headAt[l][j]])
	}
	dropped += len(hv) - len(h)
	return b, h, dropped, true
}
