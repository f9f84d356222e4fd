// Package fleet makes several loadgen processes, on any hosts, measure one
// window together, so that their results merge into one run of the whole fleet
// (loadgen -fleet NAME:N, with -redis naming the server they meet at).
//
// # Protocol
//
// Every member of fleet NAME runs the same plan, and before each measured cell
// (one round) it gathers with the others through Redis. A gathering is a hash
// and a list under the hash tag {syncbench:fleet:NAME} (so a Redis Cluster keeps
// them on one slot, where one script can change both atomically):
//
//	{syncbench:fleet:NAME}:r<round>:gather   state, id, size, cell, deadline, start, reason
//	{syncbench:fleet:NAME}:r<round>:members  the members, in arrival order
//
// Every decision is made by a Lua script on the server, on the server's clock
// (TIME), so the members never disagree about it:
//
//   - The first member to arrive opens the gathering: a random ID, the size N,
//     the cell it is about to measure, and a deadline ArriveWithin from now.
//   - A member arriving while it is open is appended; the N-th one closes it
//     and sets the start: now + Lead + the warm-up. Every member then opens its
//     measured window at that instant (workloads.Spec.StartAt), having warmed up
//     just before it.
//   - A member arriving for a different cell (another plan, another -fleet
//     size), or any member noticing that the deadline passed with fewer than N
//     arrived, fails the gathering, and every member then fails with an *Error
//     naming who arrived (loadgen exits 2): a fleet short of a member would
//     measure a different load than asked for, not a skewed copy of it.
//   - A member arriving after the start is refused (an *Error): it would
//     measure a different window.
//   - A member that stops waiting (its context ends: ^C) fails the gathering
//     on its way out, so the others are told at once rather than at the
//     deadline.
//
// Members wait by polling the gathering every Poll (10 ms by default), a few
// hundred bytes a poll. A started gathering's keys expire when its window ends
// and a failed one's a few seconds later (once every waiting member has seen
// why), so the name can be used again at once.
//
// # Clocks
//
// The start instant is on the Redis server's clock. Each member measures its
// own clock's offset from it (the script's TIME over the round trip with the
// least delay, out of a few) and opens its window at the start plus that
// offset on its own clock, so members on hosts whose clocks disagree still
// start together, within half a round trip. The offset and that error bound are
// recorded in the result (result.FleetWindow).
package fleet
