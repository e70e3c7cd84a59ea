//go:build !race

package polyproc

// raceEnabled reports a -race build, where sync.Pool drops items at random, so allocation
// counts are not meaningful.
const raceEnabled = false
