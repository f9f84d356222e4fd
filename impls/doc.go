// Package impls holds what syncbench measures: the registry of implementations and
// the uniform face ([Target]) that every lock, semaphore, rate limiter, file lock,
// Redis-backed primitive, queue and snapshot store is adapted to.
//
// Each family lives in its own sub-package (locks, semaphores, limiters, filelocks,
// redis, queues, snapshots) and registers its implementations from an init function; import
// [github.com/syncbench/syncbench/impls/all] to register every family at once.
//
// impls knows nothing of workloads or metrics: a Target is driven by the workloads
// package and its outcomes are recorded by the metrics package.
package impls
