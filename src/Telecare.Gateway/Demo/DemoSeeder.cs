using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Telecare.Core.Accounts;
using Telecare.Core.Registry;
using Telecare.Gateway.Ingress.Mqtt;
using Telecare.Gateway.Security;

namespace Telecare.Gateway.Demo;

/// <summary>
/// `--demo`: seeds the 15 Wiltshire zones, residents with devices of every kind, responders on duty and
/// handler, supervisor and responder logins, then says where to point a browser. Running it again changes nothing.
/// Demo passwords and device secrets are fixed and printed: this is for trying the product, never for real residents.
/// </summary>
public sealed partial class DemoSeeder(
    DemoSwitch demo,
    IOptions<DemoOptions> options,
    IRegistryImport import,
    IUserStore users,
    ResidentSecrets secrets,
    DeviceOutboxService outbox,
    IServer server,
    IHostApplicationLifetime lifetime,
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

        if (!await users.ExistsAsync("handler", cancellationToken))
        {
            await import.ImportAsync(DataSet(), cancellationToken);
            // The broker may have started (and published the configs it knew) before the seed.
            outbox.RepublishAllConfigs();
        }

        lifetime.ApplicationStarted.Register(PrintWelcome);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The whole demo data set, written in one unit: users, then each zone with its responder and residents.</summary>
    private RegistryImport DataSet()
    {
        var zones = new List<ZoneImport>();
        var person = 0;
        for (var z = 0; z < Zones.Length; z++)
        {
            var responderLogin = z == 0 ? "responder" : $"responder{z + 1}";
            var responder = new ResponderImport(
                UserAccounts.NewUser(responderLogin, $"Responder {Zones[z]}", Roles.Responder, Password),
                new ResponderDraft(null, $"{FirstNames[z % FirstNames.Length]} ({Zones[z]} responder)", $"07700 900{z:000}", null, OnDuty: true, null, null));
            var residents = new List<ResidentImport>();
            for (var r = 0; r < 2; r++, person++)
            {
                residents.Add(ResidentWithDevices(z, person));
            }

            zones.Add(new ZoneImport(new ZoneDraft(Zones[z], 45), [responder], residents));
        }

        return new RegistryImport(
            [
                UserAccounts.NewUser("handler", "Hannah (handler)", Roles.Handler, Password),
                UserAccounts.NewUser("supervisor", "Sam (supervisor)", Roles.Supervisor, Password),
                UserAccounts.NewUser("installer", "Ian (installer)", Roles.Installer, Password),
            ],
            zones);
    }

    private ResidentImport ResidentWithDevices(int z, int person)
    {
        var first = FirstNames[person % FirstNames.Length];
        // Each ten residents shift the surnames by one, so no two share a whole name (a handler finds people by name).
        var last = LastNames[(person * 3 + 1 + person / FirstNames.Length) % LastNames.Length];
        var flags = Flags.Where((_, i) => (person + i) % 3 == 0).ToList();
        var resident = new ResidentDraft(
            null, first, last, $"{person + 1} Church Lane, {Zones[z].Split(' ', ',')[0]}", $"SN{z + 1} {person % 9}AB", $"01380 {700000 + person}", null, flags,
            secrets.Protect(person % 2 == 0 ? "Type 2 diabetes; takes warfarin (bruises easily)." : "Hip replacement 2024; uses a walking frame."),
            secrets.Protect($"Key safe left of the front door, code {4000 + person}. Dog in the kitchen."),
            [new ContactDraft($"{FirstNames[(person + 3) % FirstNames.Length]} {last}", "daughter", $"07700 91{person:0000}", IsKeyholder: true, Priority: 1)]);

        // Every resident has a pendant; the rest of the kinds are spread over the county.
        var devices = DeviceKinds.Where((_, i) => i == 0 || (i + person) % 4 == 0).Select(kind =>
        {
            var deviceId = $"{kind.Type}-{person + 1:000}";
            var interval = deviceId == FrequentCheckInDevice ? options.Value.FrequentCheckInSeconds : kind.Interval;
            return new DeviceRegistration(deviceId, kind.Type, null, Secrets.Hash(DeviceSecret(deviceId)), null, null, null, interval, "demo", "demo allocation");
        }).ToList();

        // A receiver account per resident too: the serial path (firmware-sim receiver) lands on a real person.
        devices.Add(new DeviceRegistration($"rx1/{1000 + person}", "receiver-account", null, null, "rx1", $"{1000 + person}", null, null, null, null));
        return new ResidentImport(resident, devices);
    }

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
