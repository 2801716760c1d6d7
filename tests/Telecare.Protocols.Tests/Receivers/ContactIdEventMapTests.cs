using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

public sealed class ContactIdEventMapTests
{
    [Theory]
    [InlineData(100, "medical")]
    [InlineData(101, "pendant.press")]
    [InlineData(102, "device.offline")]
    [InlineData(110, "smoke.alarm")]
    [InlineData(111, "smoke.alarm")]
    [InlineData(114, "heat.alarm")]
    [InlineData(120, "pendant.press")]
    [InlineData(121, "pendant.press")]
    [InlineData(151, "gas.alarm")]
    [InlineData(154, "flood.alarm")]
    [InlineData(158, "temperature.high")]
    [InlineData(159, "temperature.low")]
    [InlineData(162, "co.alarm")]
    [InlineData(301, "device.mains-fail")]
    [InlineData(302, "device.low-battery")]
    [InlineData(350, "device.offline")]
    [InlineData(381, "device.offline")]
    [InlineData(383, "device.tamper")]
    [InlineData(384, "device.low-battery")]
    [InlineData(391, "inactivity")]
    [InlineData(602, "device.test")]
    [InlineData(606, "pendant.press")]
    [InlineData(641, "inactivity")]
    [InlineData(654, "inactivity")]
    public void Default_table_maps_every_documented_code(int code, string expected)
    {
        Assert.True(ContactIdEventMap.Default.TryMap(code, out var name));
        Assert.Equal(expected, name);
    }

    [Fact]
    public void Default_table_holds_exactly_the_documented_codes()
    {
        int[] documented = [100, 101, 102, 110, 111, 114, 120, 121, 151, 154, 158, 159, 162, 301, 302, 350, 381, 383, 384, 391, 602, 606, 641, 654];
        Assert.Equal(documented.Order(), ContactIdEventMap.Default.Codes.Keys.Order());
    }

    [Fact]
    public void Restore_comes_from_the_qualifier()
    {
        Assert.True(ContactIdEventMap.Default.TryMap(111, ContactIdQualifier.Restore, out var e));
        Assert.Equal(new ContactIdEvent("smoke.alarm", true, 111), e);
        Assert.True(ContactIdEventMap.Default.TryMap(111, ContactIdQualifier.StillPresent, out e));
        Assert.False(e.Restore);
    }

    [Fact]
    public void Unknown_codes_are_not_guessed()
    {
        Assert.False(ContactIdEventMap.Default.TryMap(999, ContactIdQualifier.New, out _));
        Assert.False(ContactIdEventMap.Default.TryMap(661, out _));
    }

    [Fact]
    public void Overrides_replace_and_add_without_changing_the_base()
    {
        var hub = ContactIdEventMap.Default.With(new Dictionary<int, string> { [120] = "fall.detected", [661] = "carer.arrived" });
        Assert.True(hub.TryMap(120, out var n));
        Assert.Equal("fall.detected", n);
        Assert.True(hub.TryMap(661, out n));
        Assert.Equal("carer.arrived", n);
        Assert.True(hub.TryMap(101, out n));
        Assert.Equal("pendant.press", n);
        Assert.True(ContactIdEventMap.Default.TryMap(120, out n));
        Assert.Equal("pendant.press", n);
    }

    [Fact]
    public void The_telecare_hub_table_uses_the_vendor_meanings()
    {
        var hub = ContactIdEventMap.BuiltIn["telecare-hub"];
        Assert.Same(ContactIdEventMap.TelecareHub, hub);
        Assert.True(hub.TryMap(120, out var n));
        Assert.Equal("fall.detected", n);
        Assert.True(hub.TryMap(102, out n));
        Assert.Equal("inactivity", n);
        Assert.True(hub.TryMap(663, out n));
        Assert.Equal("carer.left", n);
    }

    [Fact]
    public void Bad_overrides_are_refused_naming_the_code()
    {
        var ex = Assert.Throws<ArgumentException>(() => ContactIdEventMap.Default.With(new Dictionary<int, string> { [120] = " " }));
        Assert.Contains("120", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactIdEventMap(new Dictionary<int, string> { [1000] = "medical" }));
    }

    [Fact]
    public void Map_set_prefers_account_on_receiver_then_account_then_receiver_then_default()
    {
        var fallHub = ContactIdEventMap.Default.With(new Dictionary<int, string> { [120] = "fall.detected" });
        var duressIsMedical = ContactIdEventMap.Default.With(new Dictionary<int, string> { [120] = "medical" });
        var receiverWide = ContactIdEventMap.Default.With(new Dictionary<int, string> { [120] = "gas.alarm" });
        var set = new ContactIdEventMapSet(
            receivers: new Dictionary<string, ContactIdEventMap> { ["rx-2"] = receiverWide },
            accounts: new Dictionary<string, ContactIdEventMap> { ["rx-1/1234"] = fallHub, ["5678"] = duressIsMedical });

        Assert.Equal("fall.detected", Name(set, "rx-1", "1234"));
        Assert.Equal("pendant.press", Name(set, "rx-3", "1234"));
        Assert.Equal("medical", Name(set, "rx-2", "5678"));
        Assert.Equal("gas.alarm", Name(set, "rx-2", "1234"));
        Assert.Equal("pendant.press", Name(set, null, null));
    }

    private static string Name(ContactIdEventMapSet set, string? receiver, string? account)
    {
        Assert.True(set.TryMap(receiver, account, 120, ContactIdQualifier.New, out var e));
        return e.EventName;
    }
}
