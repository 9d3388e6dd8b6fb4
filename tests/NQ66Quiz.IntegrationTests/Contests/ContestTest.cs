using NQ66Quiz.IntegrationTests.Infrastructure;

namespace NQ66Quiz.IntegrationTests.Contests;

/// <summary>
/// Contest tests move the clock (rounds open and close, attempts pass their deadlines), so every time in them is
/// relative to <c>App.Clock</c>. The contest's background jobs tick on wall-clock time while the tests jump the fake
/// clock; the fixture pushes their interval out of the way and the tests run the jobs' steps explicitly.
/// </summary>
public abstract class ContestTest(AppFixture app) : IntegrationTest(app);
