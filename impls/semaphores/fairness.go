package semaphores

// JainIndex is Jain's fairness index of the shares x: (Σx)² / (n·Σx²). It is 1
// when every share is equal and 1/n when one of n shares takes everything, so it
// reads as "the fraction of workers that were treated fairly". Shares are
// acquisition counts here and must not be negative. An empty slice, or shares that
// are all zero, give 1: nobody got more than anybody else (and a JSON result
// cannot hold the 0/0 NaN).
func JainIndex(x []float64) float64 {
	var sum, sumSq float64
	for _, v := range x {
		sum += v
		sumSq += v * v
	}
	if sumSq == 0 {
		return 1
	}
	return sum * sum / (float64(len(x)) * sumSq)
}
