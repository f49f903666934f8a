using System.Globalization;
using System.Text;

namespace RevokeFunctions.Guards;

/// <summary>
/// The users one origin had revoked in the sliding window, as kept in one table row: <c>objectId=unixMilliseconds</c>
/// pairs, comma separated (readable in Storage Explorer when an operator reviews a trip). Each user appears once, with
/// the last time it was admitted, so the same user twice in the window counts once.
/// </summary>
internal sealed class StormGuardWindow
{
    private readonly Dictionary<string, long> users = new(StringComparer.OrdinalIgnoreCase);

    public int Count => users.Count;

    public static StormGuardWindow Parse(string? serialized)
    {
        var window = new StormGuardWindow();
        if (string.IsNullOrEmpty(serialized))
            return window;
        foreach (var pair in serialized.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            // A row edited by hand may hold anything; what cannot be read is dropped, not fatal.
            if (equals <= 0 || !long.TryParse(pair.AsSpan(equals + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var at))
                continue;
            window.Touch(pair[..equals], at);
        }
        return window;
    }

    public bool Contains(string userId) => users.ContainsKey(userId);

    /// <summary>Forgets users last admitted before <paramref name="since"/>.</summary>
    public void Prune(DateTimeOffset since)
    {
        var cutoff = since.ToUnixTimeMilliseconds();
        foreach (var (user, at) in users)
        {
            if (at < cutoff)
                users.Remove(user);
        }
    }

    public void Touch(string userId, DateTimeOffset at) => Touch(userId, at.ToUnixTimeMilliseconds());

    public string Serialize()
    {
        var text = new StringBuilder(users.Count * 52);
        foreach (var (user, at) in users.OrderBy(u => u.Value))
        {
            if (text.Length > 0)
                text.Append(',');
            text.Append(user).Append('=').Append(at.ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private void Touch(string userId, long at)
    {
        if (!users.TryGetValue(userId, out var existing) || existing < at)
            users[userId] = at;
    }
}
