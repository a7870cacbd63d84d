using Frontlijn.Web.Features.Households;

namespace Frontlijn.UnitTests.Households;

public sealed class BsnTests
{
    [Theory]
    [InlineData("111222333")] // 9+8+7+12+10+8+9+6−3 = 66
    [InlineData("123456782")] // 9+16+21+24+25+24+21+16−2 = 154
    [InlineData("999999990")] // 9·(9+8+…+2) − 0 = 396
    public void Elfproef_AcceptsValidNumbers(string bsn) => Assert.True(Bsn.IsValid(bsn));

    [Theory]
    [InlineData("111222334")] // sum 65: not divisible by 11
    [InlineData("123456789")] // the classic "looks like a BSN"
    [InlineData("000000000")] // divisible by 11, but not a number anyone has
    [InlineData("11122233")] // eight digits
    [InlineData("1112223333")] // ten digits
    [InlineData("11122233a")]
    [InlineData("111 222 333")]
    [InlineData("１１１２２２３３３")] // full-width digits are not ASCII digits
    [InlineData("")]
    [InlineData(null)]
    public void Elfproef_RefusesEverythingElse(string? bsn) => Assert.False(Bsn.IsValid(bsn));

    [Fact]
    public void TheLastDigitCountsNegatively()
    {
        // 111222338: 69 + 8 = 77 would pass with +1 for the last digit; with −1 it is 61, which fails.
        Assert.False(Bsn.IsValid("111222338"));
        Assert.True(Bsn.IsValid("111222333"));
    }

    [Fact]
    public void Mask_ShowsOnlyTheLastFourDigits()
    {
        Assert.Equal("2333", Bsn.Last4("111222333"));
        Assert.Equal("*****2333", Bsn.Mask("2333"));
        Assert.Null(Bsn.Mask(null));
    }

    [Fact]
    public void Hash_IsKeyed_Stable_AndNeverTheNumber()
    {
        var hasher = new BsnHasher("unit-test-key-that-is-long-enough-0123456789");
        var other = new BsnHasher("another-unit-test-key-that-is-long-enough-012");

        Assert.Equal(hasher.Hash("111222333"), hasher.Hash("111222333"));
        Assert.NotEqual(hasher.Hash("111222333"), hasher.Hash("123456782"));
        Assert.NotEqual(hasher.Hash("111222333"), other.Hash("111222333"));
        Assert.DoesNotContain("111222333", hasher.Hash("111222333"), StringComparison.Ordinal);
        Assert.Equal(64, hasher.Hash("111222333").Length);
        Assert.Throws<InvalidOperationException>(() => new BsnHasher("short"));
    }
}
