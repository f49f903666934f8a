using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// The sandbox directory, safe to read and change from any thread. Ids, UPNs, mail and employee IDs never change after
/// loading, so the lookup indexes are built once and frozen; a change swaps a whole user record into its slot with a
/// compare-and-swap, which keeps reads lock-free and stops two concurrent updates of one user from losing each other.
/// </summary>
public sealed class SandboxTenant
{
    private readonly SandboxUser[] users;
    private readonly FrozenDictionary<Guid, int> byId;
    private readonly FrozenDictionary<string, int> byUserPrincipalName;
    private readonly FrozenDictionary<string, int[]> byMail;
    private readonly FrozenDictionary<string, int[]> byEmployeeId;
    private readonly ConcurrentDictionary<Guid, Guid> managers = new();

    private SandboxTenant(SandboxUser[] users)
    {
        this.users = users;
        var ids = new Dictionary<Guid, int>(users.Length);
        var userPrincipalNames = new Dictionary<string, int>(users.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < users.Length; i++)
        {
            if (!ids.TryAdd(Guid.Parse(users[i].Id), i))
                throw new ArgumentException($"users[{i}]: id '{users[i].Id}' appears twice.", nameof(users));
            if (!userPrincipalNames.TryAdd(users[i].UserPrincipalName, i))
                throw new ArgumentException($"users[{i}]: userPrincipalName '{users[i].UserPrincipalName}' appears twice.", nameof(users));
        }

        byId = ids.ToFrozenDictionary();
        byUserPrincipalName = userPrincipalNames.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        // Graph compares mail case-insensitively but employeeId exactly ("0042" is not "42", "E1" is not "e1").
        byMail = IndexBy(users, u => u.Mail, StringComparer.OrdinalIgnoreCase);
        byEmployeeId = IndexBy(users, u => u.EmployeeId, StringComparer.Ordinal);
    }

    /// <summary>A snapshot of every user, in file order.</summary>
    public IReadOnlyList<SandboxUser> Users => users.ToArray();

    public int Count => users.Length;

    /// <summary>Reads a tenant file (<c>{"users":[...]}</c>). Throws <see cref="InvalidDataException"/> naming the file and member.</summary>
    public static SandboxTenant Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return FromJson(() => JsonSerializer.Deserialize(stream, SandboxJsonContext.Default.TenantFileDocument), path);
    }

    /// <summary>Reads tenant-file JSON. Throws <see cref="InvalidDataException"/> naming the offending member.</summary>
    public static SandboxTenant Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromJson(() => JsonSerializer.Deserialize(json, SandboxJsonContext.Default.TenantFileDocument), "tenant JSON");
    }

    /// <summary>
    /// Builds a tenant from records. Ids and group ids must be GUIDs and are stored in lowercase "D" form, as Graph
    /// returns them; timestamps are stored in UTC. Ids and UPNs must be unique.
    /// </summary>
    public static SandboxTenant FromUsers(IEnumerable<SandboxUser> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        return new SandboxTenant(users.Select(Normalize).ToArray());
    }

    /// <summary>Matches any GUID format <see cref="Guid.TryParse(string?, out Guid)"/> accepts, case-insensitively.</summary>
    public SandboxUser? FindById(string id) =>
        TryGetIndex(id, out var index) ? Volatile.Read(ref users[index]) : null;

    /// <summary>Case-insensitive, as Entra ID compares UPNs.</summary>
    public SandboxUser? FindByUserPrincipalName(string userPrincipalName) =>
        userPrincipalName is not null && byUserPrincipalName.TryGetValue(userPrincipalName, out var index)
            ? Volatile.Read(ref users[index])
            : null;

    /// <summary>Resolves a Graph key the way <c>/users/{key}</c> does: a GUID is an id, anything else a UPN.</summary>
    public SandboxUser? Find(string idOrUserPrincipalName) =>
        Guid.TryParse(idOrUserPrincipalName, out _) ? FindById(idOrUserPrincipalName) : FindByUserPrincipalName(idOrUserPrincipalName);

    /// <summary>Every user whose mail matches case-insensitively (mail is not unique in a directory).</summary>
    public IReadOnlyList<SandboxUser> FindByMail(string mail) => Lookup(byMail, mail);

    /// <summary>Every user whose employeeId matches exactly (ordinal).</summary>
    public IReadOnlyList<SandboxUser> FindByEmployeeId(string employeeId) => Lookup(byEmployeeId, employeeId);

    /// <summary>Sets the instant before which refresh tokens and session cookies are invalid. Stored in UTC.</summary>
    public void SetSignInSessionsValidFrom(string id, DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        Update(id, user => user with { SignInSessionsValidFromDateTime = utc });
    }

    /// <summary>Makes <paramref name="managerId"/> the user's manager (<c>GET /users/{id}/manager</c>); null removes it.</summary>
    public void SetManager(string id, string? managerId)
    {
        if (!TryGetIndex(id, out var index))
            throw new KeyNotFoundException($"The sandbox tenant has no user with id '{id}'.");
        var user = Guid.Parse(users[index].Id);
        if (managerId is null)
        {
            managers.TryRemove(user, out _);
            return;
        }
        if (!TryGetIndex(managerId, out var managerIndex))
            throw new KeyNotFoundException($"The sandbox tenant has no user with id '{managerId}'.");
        managers[user] = Guid.Parse(users[managerIndex].Id);
    }

    /// <summary>The user's manager, or null when there is none (or no such user).</summary>
    public SandboxUser? ManagerOf(string idOrUserPrincipalName) =>
        Find(idOrUserPrincipalName) is { } user && managers.TryGetValue(Guid.Parse(user.Id), out var manager)
            ? FindById(manager.ToString("D"))
            : null;

    public void SetAccountEnabled(string id, bool accountEnabled) =>
        Update(id, user => user with { AccountEnabled = accountEnabled });

    private SandboxUser Update(string id, Func<SandboxUser, SandboxUser> change)
    {
        if (!TryGetIndex(id, out var index))
            throw new KeyNotFoundException($"The sandbox tenant has no user with id '{id}'.");
        while (true)
        {
            var current = Volatile.Read(ref users[index]);
            var next = change(current);
            if (ReferenceEquals(Interlocked.CompareExchange(ref users[index], next, current), current))
                return next;
        }
    }

    private bool TryGetIndex(string id, out int index)
    {
        index = -1;
        return Guid.TryParse(id, out var guid) && byId.TryGetValue(guid, out index);
    }

    private SandboxUser[] Lookup(FrozenDictionary<string, int[]> index, string key)
    {
        if (key is null || !index.TryGetValue(key, out var slots))
            return [];
        var found = new SandboxUser[slots.Length];
        for (var i = 0; i < slots.Length; i++)
            found[i] = Volatile.Read(ref users[slots[i]]);
        return found;
    }

    private static FrozenDictionary<string, int[]> IndexBy(SandboxUser[] users, Func<SandboxUser, string?> key, StringComparer comparer) =>
        users.Select((user, index) => (Key: key(user), Index: index))
            .Where(entry => entry.Key is not null)
            .GroupBy(entry => entry.Key!, comparer)
            .ToFrozenDictionary(group => group.Key, group => group.Select(entry => entry.Index).ToArray(), comparer);

    private static SandboxUser Normalize(SandboxUser user, int index)
    {
        if (user is null)
            throw new ArgumentException($"users[{index}] is null.", nameof(user));
        if (!Guid.TryParse(user.Id, out var id))
            throw new ArgumentException($"users[{index}]: id '{user.Id}' is not a GUID.", nameof(user));
        if (string.IsNullOrWhiteSpace(user.UserPrincipalName))
            throw new ArgumentException($"users[{index}]: userPrincipalName is empty.", nameof(user));
        if (string.IsNullOrWhiteSpace(user.UserType))
            throw new ArgumentException($"users[{index}]: userType is empty.", nameof(user));

        var groups = new string[user.Groups?.Count ?? 0];
        for (var g = 0; g < groups.Length; g++)
        {
            if (!Guid.TryParse(user.Groups![g], out var groupId))
                throw new ArgumentException($"users[{index}]: groups[{g}] '{user.Groups[g]}' is not a GUID.", nameof(user));
            groups[g] = groupId.ToString("D");
        }

        return user with
        {
            Id = id.ToString("D"),
            SignInSessionsValidFromDateTime = user.SignInSessionsValidFromDateTime.ToUniversalTime(),
            Groups = groups,
        };
    }

    private static SandboxTenant FromJson(Func<TenantFileDocument?> read, string source)
    {
        try
        {
            var document = read() ?? throw new InvalidDataException("the document is null.");
            var entries = document.Users ?? throw new InvalidDataException("'users' is missing.");
            var tenant = FromUsers(entries.Select(ToSandboxUser));
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i]?.Manager is { } manager)
                {
                    if (tenant.FindById(manager) is null)
                        throw new InvalidDataException($"users[{i}]: manager '{manager}' is not the id of a user in the file.");
                    tenant.SetManager(entries[i]!.Id!, manager);
                }
            }
            return tenant;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }
    }

    private static SandboxUser ToSandboxUser(TenantFileUser? entry, int index)
    {
        if (entry is null)
            throw new InvalidDataException($"users[{index}] is null.");
        return new SandboxUser(
            entry.Id ?? throw Missing(index, "id"),
            entry.UserPrincipalName ?? throw Missing(index, "userPrincipalName"),
            entry.Mail,
            entry.EmployeeId,
            entry.UserType ?? throw Missing(index, "userType"),
            entry.AccountEnabled ?? throw Missing(index, "accountEnabled"),
            entry.SignInSessionsValidFromDateTime ?? throw Missing(index, "signInSessionsValidFromDateTime"),
            entry.Groups ?? []);
    }

    private static InvalidDataException Missing(int index, string member) => new($"users[{index}]: '{member}' is missing.");
}
