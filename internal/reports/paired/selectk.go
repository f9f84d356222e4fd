package paired

// selectK returns the k-th smallest (0-based) value of a, reordering a so that
// a[k] holds it, everything before it is ≤ and everything after ≥. It runs in
// expected O(len(a)): the resampling needs two order statistics of each
// replay's n(n+1)/2 Walsh averages, and sorting them all dominated the cost.
func selectK(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for lo < hi {
		// Median of three as the pivot keeps sorted and reversed input linear.
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}

// medianSelect returns the median of a (non-empty), reordering a.
func medianSelect(a []float64) float64 {
	n := len(a)
	hi := selectK(a, n/2)
	if n%2 == 1 {
		return hi
	}
	// The lower middle is the largest value left of n/2.
	lo := a[0]
	for _, v := range a[1 : n/2] {
		lo = max(lo, v)
	}
	return (lo + hi) / 2
}
