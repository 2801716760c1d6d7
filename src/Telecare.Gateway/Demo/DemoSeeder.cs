using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;
using Telecare.Gateway.Store;

namespace Telecare.Gateway.Demo;

/// <summary>
/// `--demo`: seeds the 15 Wiltshire zones (DOMAIN.md), residents with devices of every kind, responders on duty and
/// handler, supervisor and responder logins, then says where to point a browser. Running it again changes nothing.
/// Demo passwords and device secrets are fixed and printed: this is for trying the product, never for real residents.
/// </summary>
public sealed partial class DemoSeeder(
    DemoSwitch demo,
    IOptions<DemoOptions> options,
    StoreWriter writer,
    SqliteConnectionFactory store,
    UserAccounts users,
    ResidentSecrets secrets,
    DeviceOutboxService outbox,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public const string Password = "demo-password";

    public static readonly string[] Zones =
    [
        "Salisbury", "Amesbury", "Tidworth", "Pewsey", "Marlborough", "Royal Wootton Bassett & Cricklade", "Malmesbury",
        "Chippenham, Corsham & Calne", "Bradford on Avon & Melksham", "Devizes", "Trowbridge & Westbury", "Warminster & Mere",
        "Tisbury", "Wilton", "Southern Wiltshire",
    ];

    private static readonly string[] FirstNames = ["Edith", "Arthur", "Joan", "Harold", "Margaret", "Dennis", "Irene", "Stanley", "Doris", "Walter"];
    private static readonly string[] LastNames = ["Hawkins", "Pearce", "Whitlock", "Tanner", "Moody", "Sheppard", "Noyes", "Blake", "Fry", "Hibberd"];
    private static readonly string[] Flags = ["falls-risk", "lives-alone", "dementia", "diabetic", "hearing-impaired"];

    private static readonly (string Type, int Interval)[] DeviceKinds =
    [
        ("pendant", 3600), ("fall-detector", 3600), ("smoke", 86400), ("co", 86400), ("heat", 86400), ("flood", 86400),
        ("temperature", 3600), ("door", 3600), ("bed", 3600), ("chair", 3600), ("pir", 3600),
    ];

    /// <summary>Checks in every <see cref="DemoOptions.FrequentCheckInSeconds"/>, so `firmware-sim demo` can show a silent device reported offline soon.</summary>
    public const string FrequentCheckInDevice = "pir-007";

    public static string DeviceSecret(string deviceId) => $"demo-secret-{deviceId}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demo.Enabled)
        {
            return;
        }

        if (!AlreadySeeded())
        {
            await SeedAsync(cancellationToken);
            // The broker may have started (and published the configs it knew) before the seed.
            outbox.RepublishAllConfigs();
        }

        lifetime.ApplicationStarted.Register(PrintWelcome);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool AlreadySeeded()
    {
        using var connection = store.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM users WHERE username = 'handler')";
        return (long)command.ExecuteScalar()! == 1;
    }

    private Task SeedAsync(CancellationToken cancellationToken) => writer.ExecuteAsync(context =>
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long Insert(string sql, params (string, object?)[] values)
        {
            using var command = context.Command(sql + " RETURNING id");
            foreach (var (name, value) in values)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            return (long)command.ExecuteScalar()!;
        }

        users.Insert(context, "handler", "Hannah (handler)", Roles.Handler, Password);
        users.Insert(context, "supervisor", "Sam (supervisor)", Roles.Supervisor, Password);
        users.Insert(context, "installer", "Ian (installer)", Roles.Installer, Password);
        var person = 0;
        for (var z = 0; z < Zones.Length; z++)
        {
            var zone = Insert("INSERT INTO zones (name, attendance_target_minutes, created_at) VALUES ($name, 45, $now) ON CONFLICT (name) DO UPDATE SET name = excluded.name", ("$name", Zones[z]), ("$now", now));
            var responderLogin = z == 0 ? "responder" : $"responder{z + 1}";
            var responderUser = users.Insert(context, responderLogin, $"Responder {Zones[z]}", Roles.Responder, Password);
            Insert("INSERT INTO responders (user_id, name, phone, zone_id, on_duty, created_at) VALUES ($user, $name, $phone, $zone, 1, $now)",
                ("$user", responderUser), ("$name", $"{FirstNames[z % FirstNames.Length]} ({Zones[z]} responder)"), ("$phone", $"07700 900{z:000}"), ("$zone", zone), ("$now", now));

            for (var r = 0; r < 2; r++, person++)
            {
                var first = FirstNames[person % FirstNames.Length];
                // Each ten residents shift the surnames by one, so no two share a whole name (a handler finds people by name).
                var last = LastNames[(person * 3 + 1 + person / FirstNames.Length) % LastNames.Length];
                var flags = string.Join(',', Flags.Where((_, i) => (person + i) % 3 == 0));
                var resident = Insert("""
                    INSERT INTO residents (zone_id, first_name, last_name, address, postcode, phone, flags, medical_notes_protected,
                                           access_details_protected, created_at, updated_at)
                    VALUES ($zone, $first, $last, $address, $postcode, $phone, $flags, $medical, $access, $now, $now)
                    """, ("$zone", zone), ("$first", first), ("$last", last), ("$address", $"{person + 1} Church Lane, {Zones[z].Split(' ', ',')[0]}"),
                    ("$postcode", $"SN{z + 1} {person % 9}AB"), ("$phone", $"01380 {700000 + person}"), ("$flags", flags),
                    ("$medical", secrets.Protect(person % 2 == 0 ? "Type 2 diabetes; takes warfarin (bruises easily)." : "Hip replacement 2024; uses a walking frame.")),
                    ("$access", secrets.Protect($"Key safe left of the front door, code {4000 + person}. Dog in the kitchen.")), ("$now", now));
                Insert("INSERT INTO contacts (resident_id, name, relationship, phone, is_keyholder) VALUES ($r, $name, 'daughter', $phone, 1)",
                    ("$r", resident), ("$name", $"{FirstNames[(person + 3) % FirstNames.Length]} {last}"), ("$phone", $"07700 91{person:0000}"));

                // Every resident has a pendant; the rest of the kinds are spread over the county.
                foreach (var (type, interval) in DeviceKinds.Where((_, i) => i == 0 || (i + person) % 4 == 0))
                {
                    var deviceId = $"{type}-{person + 1:000}";
                    Insert("""
                        INSERT INTO devices (device_id, type, resident_id, secret_hash, checkin_interval_seconds, allocation_condition, allocation_reason, created_at)
                        VALUES ($id, $type, $resident, $hash, $interval, 'demo', 'demo allocation', $now)
                        """, ("$id", deviceId), ("$type", type), ("$resident", resident), ("$hash", Secrets.Hash(DeviceSecret(deviceId))),
                        ("$interval", deviceId == FrequentCheckInDevice ? options.Value.FrequentCheckInSeconds : interval), ("$now", now));
                }

                // A receiver account per resident too: the serial path (firmware-sim receiver) lands on a real person.
                Insert("INSERT INTO devices (device_id, type, resident_id, receiver_id, account, created_at) VALUES ($id, 'receiver-account', $resident, 'rx1', $account, $now)",
                    ("$id", $"rx1/{1000 + person}"), ("$resident", resident), ("$account", $"{1000 + person}"), ("$now", now));
            }
        }
    }, cancellationToken);

    private void PrintWelcome()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "http://localhost:5000";
        LogWelcome(logger, url.Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal), Password);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = """
        DEMO MODE: open {Url} in a browser.
          Logins (password '{Password}'): handler, supervisor, installer, responder (Salisbury; responder2..responder15 for the other zones).
          Devices: pendant-001.. with MQTT secret 'demo-secret-<device id>'; receiver accounts rx1/1000.. for the serial path.
          To see a night of alarms arrive, run in another terminal: dotnet run --project firmware-sim -- demo
          Never use demo mode with real residents.
        """)]
    private static partial void LogWelcome(ILogger logger, string url, string password);
}
