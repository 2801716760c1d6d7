using Microsoft.Extensions.Options;
using Telecare.Gateway.Tests.Support;

namespace Telecare.Gateway.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Store:MaxBatch", "0")]
    [InlineData("Store:QueueCapacity", "-5")]
    [InlineData("Signals:DedupeWindowSeconds", "0")]
    [InlineData("Signals:MaxBodyBytes", "10")]
    [InlineData("Telemetry:OtlpEndpoint", "not a url")]
    [InlineData("Mqtt:Mode", "Cluster")]
    public void A_bad_value_stops_the_start_with_a_message_naming_the_key(string key, string value)
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(key, messages);
        Assert.Contains(Flatten(error), e => e is OptionsValidationException);
    }

    [Theory]
    [InlineData("Mqtt:External:Host", null)]
    [InlineData("Mqtt:External:Port", "0")]
    [InlineData("Mqtt:External:CaFile", "/no/such/ca.pem")]
    public void External_mqtt_settings_are_checked_with_the_key_named(string key, string? value)
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Mqtt:Mode"] = "External",
            ["Mqtt:External:Host"] = "broker.example",
            ["Mqtt:External:UseTls"] = "true",
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(key, string.Join(" | ", Flatten(error).Select(e => e.Message)));
    }

    [Fact]
    public void Good_values_start()
    {
        using var factory = new GatewayFactory(new Dictionary<string, string?> { ["Store:MaxBatch"] = "64" });
        using var client = factory.CreateClient();
        Assert.NotNull(client);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
