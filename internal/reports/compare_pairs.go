package reports

// RoundKey is the benchfmt configuration key that labels the round a benchmark
// line was measured in. scripts/regress.sh writes a "round: N" line before each
// run of each side, so that base.txt and head.txt say which measurements ran
// next to each other; [Compare] pairs them by it. (benchstat treats it as a
// configuration key like any other: run `benchstat -ignore round base.txt
// head.txt` to pool the rounds as before.)
const RoundKey = "round"

// pairByRound returns the base and head values of k that share a round label,
// one pair per label, in base's order. A label repeated within a side (several
// runs of one benchmark in one round: scripts/regress.sh with REPEAT=3) stands
// for its least value: on a shared machine a run is slowed by whatever else ran
// on its core, never sped up, and the least of a round's runs is the one the
// machine disturbed least, on both sides alike. ok is false when either side
// has a measurement without a label: such input was not recorded in rounds, and
// pairing it by position would claim a pairing that never happened. dropped
// counts the labels of either side left without a partner.
func pairByRound(base, head *Samples, k MetricKey) (b, h []float64, dropped int, ok bool) {
	bv, hv := base.Values[k], head.Values[k]
	br, hr := base.Rounds[k], head.Rounds[k]
	if len(br) != len(bv) || len(hr) != len(hv) {
		return nil, nil, 0, false
	}
	least := func(vals []float64, labels []string) (map[string]float64, []string, bool) {
		m := map[string]float64{}
		var order []string
		for i, l := range labels {
			if l == "" {
				return nil, nil, false
			}
			if old, seen := m[l]; !seen || vals[i] < old {
				if !seen {
					order = append(order, l)
				}
				m[l] = vals[i]
			}
		}
		return m, order, true
	}
	bm, border, okB := least(bv, br)
	hm, _, okH := least(hv, hr)
	if !okB || !okH {
		return nil, nil, 0, false
	}
	for _, l := range border {
		hvLeast, found := hm[l]
		if !found {
			dropped++
			continue
		}
		b = append(b, bm[l])
		h = append(h, hvLeast)
	}
	dropped += len(hm) - len(h)
	return b, h, dropped, true
}
