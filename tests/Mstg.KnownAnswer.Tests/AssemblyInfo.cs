// Four matrix shards and the outcome runs side by side: each test mostly waits on a suite process, so five at a time
// keep a two-core machine busy (xUnit's default is one per core).
[assembly: Xunit.v3.Parallelization(MaxThreads = 5)]
