using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Fixtures;

/// <summary>
/// Every file in ../shared/fixtures/{valid,invalid,edge} with its expectation. The hook for any trigger's data-driven
/// test: <c>[Theory, MemberData(nameof(FixtureCases.All), MemberType = typeof(FixtureCases))]</c> gives the file name,
/// <see cref="Get"/> its expectation, and <see cref="FixtureAssertions"/> checks a result against it.
/// </summary>
public static class FixtureCases
{
    public static readonly string[] Folders = ["valid", "invalid", "edge"];

    private static readonly Lazy<IReadOnlyDictionary<string, FixtureExpectation>> Expectations = new(FixtureExpectation.LoadAll);

    /// <summary>Every fixture file, as <c>folder/name</c>, in a stable order.</summary>
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Files())
                data.Add(file);
            return data;
        }
    }

    /// <summary>The files on disk, so a fixture added without an expectation fails instead of being skipped.</summary>
    public static IEnumerable<string> Files() =>
        Folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(TestPaths.Fixtures, folder))
                .Select(path => folder + "/" + Path.GetFileName(path)))
            .Order(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> ExpectedFiles => Expectations.Value.Keys.ToList();

    public static FixtureExpectation Get(string file) =>
        Expectations.Value.TryGetValue(file, out var expectation)
            ? expectation
            : throw new KeyNotFoundException($"{file} has no line in expectations.json.");
}
