using System.Text;
using Telecare.Protocols.Receivers;

namespace Telecare.Protocols.Tests.Receivers;

public sealed class ContactIdTests
{
    [Fact]
    public void Parses_the_personal_emergency_example_and_verifies_its_checksum()
    {
        Assert.True(ContactId.TryParse("123418110101001B", out var r, out var error), error?.ToString());
        Assert.Equal("1234", r.Account);
        Assert.Equal(18, r.MessageType);
        Assert.Equal(ContactIdQualifier.New, r.Qualifier);
        Assert.Equal(101, r.EventCode);
        Assert.Equal(1, r.Group);
        Assert.Equal(1, r.ZoneOrUser);
        Assert.Equal('B', r.Checksum);
        Assert.False(r.IsRestore);
    }

    [Fact]
    public void Parses_the_restore_example()
    {
        Assert.True(ContactId.TryParse("1234183101010019", out var r, out _));
        Assert.Equal(ContactIdQualifier.Restore, r.Qualifier);
        Assert.True(r.IsRestore);
        Assert.Equal(101, r.EventCode);
    }

    [Fact]
    public void Parses_the_periodic_test_example()
    {
        Assert.True(ContactId.TryParse("1234181602000002", out var r, out _));
        Assert.Equal(602, r.EventCode);
        Assert.Equal(0, r.Group);
        Assert.Equal(0, r.ZoneOrUser);
    }

    [Theory]
    [InlineData("123418110101001", 'B')]
    [InlineData("123418310101001", '9')]
    [InlineData("123418160200000", '2')]
    public void Computes_the_documented_checksums(string body, char expected)
    {
        Assert.Equal((byte)expected, ContactId.ComputeChecksum(Encoding.ASCII.GetBytes(body)));
    }

    [Fact]
    public void A_computed_zero_is_sent_as_F_and_a_computed_ten_as_0()
    {
        // 1+2+3+4 +1+8 +1 +6+10+2 +10+10 +10+1+6 = 75: already a multiple of 15, so S counts 15 (F).
        Assert.Equal(75, SumOf("123418160200016"));
        Assert.Equal((byte)'F', ContactId.ComputeChecksum("123418160200016"u8));
        Assert.True(ContactId.TryParse("123418160200016F", out _, out var error), error?.ToString());

        // Sum 80 needs 10 more, and 10 is written as the digit 0.
        Assert.Equal(80, SumOf("123418160200002"));
        Assert.Equal((byte)'0', ContactId.ComputeChecksum("123418160200002"u8));
        Assert.True(ContactId.TryParse("1234181602000020", out _, out error), error?.ToString());
    }

    [Theory]
    [InlineData("123418110101001C", "checksum")]
    [InlineData("1234181101010012", "checksum")]
    [InlineData("123418410101001", "qualifier")]
    [InlineData("123417110101001", "message-type")]
    [InlineData("12341811010100", "length")]
    [InlineData("12341811010100X1", "non-digit")]
    [InlineData("12341811C101001", "event-code")]
    public void Refuses_bad_reports_with_a_reason(string text, string reason)
    {
        Assert.False(ContactId.TryParse(text, out _, out var error));
        Assert.NotNull(error);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_report_without_checksum_is_accepted()
    {
        Assert.True(ContactId.TryParse("123498110101001", out var r, out _));
        Assert.Equal(98, r.MessageType);
        Assert.Null(r.Checksum);
    }

    [Fact]
    public void Format_round_trips_with_checksum()
    {
        var r = new ContactIdReport("1234", 18, ContactIdQualifier.Restore, 101, 1, 1);
        Assert.Equal("1234183101010019", ContactId.Format(r));
        Assert.Equal("123418110101001B", (r with { Qualifier = ContactIdQualifier.New }).ToString());
    }

    [Fact]
    public void Reports_that_do_not_fit_are_refused_by_format_but_still_print()
    {
        var tooLong = new ContactIdReport("12345", 18, ContactIdQualifier.New, 101, 1, 1);
        Assert.False(ContactId.TryFormat(tooLong, out _));
        Assert.Throws<ArgumentException>(() => ContactId.Format(tooLong));
        Assert.StartsWith("invalid Contact ID report", default(ContactIdReport).ToString());
        Assert.False(ContactId.TryFormat(new ContactIdReport("12A4", 18, ContactIdQualifier.New, 101, 1, 1), out _));
    }

    [Fact]
    public void Every_corrupted_single_digit_is_caught_by_the_checksum()
    {
        var good = "123418110101001B";
        var alphabet = "0123456789BCDEF";
        for (var i = 0; i < good.Length; i++)
        {
            foreach (var c in alphabet)
            {
                if (c == good[i])
                {
                    continue;
                }

                var bad = good[..i] + c + good[(i + 1)..];
                Assert.False(ContactId.IsChecksumValid(Encoding.ASCII.GetBytes(bad)), bad);
            }
        }
    }

    private static int SumOf(string digits) => digits.Sum(c => ContactId.DigitValue((byte)c));
}
