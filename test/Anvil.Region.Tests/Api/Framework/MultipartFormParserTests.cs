using System.Text;
using Shouldly;
using Xunit;

namespace Anvil.Region.Api.Framework;

public sealed class MultipartFormParserTests
{
    [Fact]
    public void Python_encoder_body_decodes_every_base64_part()
    {
        var longValue = new string('x', 200) + " é ünïcode";
        var body = MultipartCaptures.Python([("distro_series", "jammy"), ("comment", longValue), ("empty", "")]);

        MultipartFormParser.TryParse(body, MultipartCaptures.PythonBoundary, out var parts, out var error).ShouldBeTrue(error);

        parts.Select(p => (p.Name, Encoding.UTF8.GetString(p.Content), p.IsFile))
            .ShouldBe([("distro_series", "jammy", false), ("comment", longValue, false), ("empty", "", false)]);
        parts[0].ContentType.ShouldBe("text/plain; charset=\"utf-8\"");
    }

    [Fact]
    public void Python_file_part_with_a_filename_is_a_file_with_its_bytes()
    {
        var content = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var body = MultipartCaptures.Python([("name", "n")], [("blob", "blob", content)]);

        MultipartFormParser.TryParse(body, MultipartCaptures.PythonBoundary, out var parts, out var error).ShouldBeTrue(error);

        var file = parts.Single(p => p.Name == "blob");
        file.IsFile.ShouldBeTrue();
        file.FileName.ShouldBe("blob");
        file.ContentType.ShouldBe("application/octet-stream");
        file.Content.ShouldBe(content);
    }

    [Theory]
    [InlineData("--B\r\n\r\n--B--")]
    [InlineData("--B\r\n\r\n--B--\r\n")]
    [InlineData("--B--")]
    [InlineData("")]
    [InlineData("\r\n")]
    public void Empty_bodies_as_python_libmaas_sends_them_have_no_parts(string body)
    {
        MultipartFormParser.TryParse(Encoding.ASCII.GetBytes(body), "B", out var parts, out var error).ShouldBeTrue(error);

        parts.ShouldBeEmpty();
    }

    [Fact]
    public void Go_upload_keeps_binary_content_exactly_even_with_line_ends_and_dashes_inside()
    {
        var content = Encoding.ASCII.GetBytes("line1\r\n--not-the-boundary\r\n\r\n--" + MultipartCaptures.GoBoundary + "x\r\nend\r\n");
        var body = MultipartCaptures.Go([("filename", "kernel")], ("file", "kernel", content));

        MultipartFormParser.TryParse(body, MultipartCaptures.GoBoundary, out var parts, out var error).ShouldBeTrue(error);

        parts.Count.ShouldBe(2);
        Encoding.UTF8.GetString(parts[0].Content).ShouldBe("kernel");
        parts[1].IsFile.ShouldBeTrue();
        parts[1].Content.ShouldBe(content);
    }

    [Fact]
    public void Metadata_helper_body_with_trailing_blank_line_parses()
    {
        var body = MultipartCaptures.MetadataHelper([("op", "signal"), ("status", "WORKING")], ("lshw.xml", "<xml/>"u8.ToArray()));

        MultipartFormParser.TryParse(body, MultipartCaptures.MetadataBoundary, out var parts, out var error).ShouldBeTrue(error);

        parts.Select(p => p.Name).ShouldBe(["op", "status", "lshw.xml"]);
        parts[2].Content.ShouldBe("<xml/>"u8.ToArray());
    }

    [Fact]
    public void Bare_lf_line_ends_are_accepted()
    {
        var body = "--B\nContent-Disposition: form-data; name=\"a\"\n\none\n--B\nContent-Disposition: form-data; name=\"b\"\n\ntwo\n--B--\n"u8.ToArray();

        MultipartFormParser.TryParse(body, "B", out var parts, out var error).ShouldBeTrue(error);

        parts.Select(p => Encoding.UTF8.GetString(p.Content)).ShouldBe(["one", "two"]);
    }

    [Fact]
    public void Folded_headers_quoted_escapes_and_rfc2231_filenames_are_understood()
    {
        var body = ("--B\r\nContent-Disposition: form-data;\r\n name=\"we\\\"ird\";\r\n\tfilename*=utf-8''r%C3%A9sum%C3%A9.txt\r\n\r\ndata\r\n--B--").Select(c => (byte)c).ToArray();

        MultipartFormParser.TryParse(body, "B", out var parts, out var error).ShouldBeTrue(error);

        parts.Single().Name.ShouldBe("we\"ird");
        parts.Single().FileName.ShouldBe("résumé.txt");
    }

    [Fact]
    public void Quoted_printable_parts_are_decoded()
    {
        var body = "--B\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\na=3Db=\r\nc\r\n--B--"u8.ToArray();

        MultipartFormParser.TryParse(body, "B", out var parts, out var error).ShouldBeTrue(error);

        Encoding.UTF8.GetString(parts.Single().Content).ShouldBe("a=bc");
    }

    [Theory]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", "closing boundary")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"a\"", "empty line")]
    [InlineData("no boundary here", "does not occur")]
    [InlineData("--Bjunk\r\n", "does not occur")]
    [InlineData("--B junk\r\n\r\n--B--", "neither a line end")]
    [InlineData("--B\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n!!!notbase64\r\n--B--", "not valid base64")]
    public void Malformed_bodies_are_refused_with_a_reason(string body, string reason)
    {
        MultipartFormParser.TryParse(Encoding.ASCII.GetBytes(body), "B", out _, out var error).ShouldBeFalse();

        error.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void A_part_without_a_name_is_ignored()
    {
        var body = "--B\r\nContent-Type: text/plain\r\n\r\norphan\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B--"u8.ToArray();

        MultipartFormParser.TryParse(body, "B", out var parts, out var error).ShouldBeTrue(error);

        parts.Single().Name.ShouldBe("a");
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 0; seed < 300; seed++)
            seeds.Add(seed);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Garbage_and_mutated_captures_never_throw(int seed)
    {
        var random = new Random(seed);
        var body = Mutate(random, (seed % 3) switch
        {
            0 => MultipartCaptures.Python([("a", "1"), ("b", "two")], [("f", "f", [1, 2, 3])]),
            1 => MultipartCaptures.Go([("k", "v")], ("file", "x", [0, 13, 10, 45, 45])),
            _ => RandomBytes(random, random.Next(0, 200)),
        });
        var boundary = seed % 3 == 1 ? MultipartCaptures.GoBoundary : MultipartCaptures.PythonBoundary;

        var parsed = MultipartFormParser.TryParse(body, boundary, out _, out var error);

        (error is null).ShouldBe(parsed);
    }

    internal static byte[] Mutate(Random random, byte[] body)
    {
        var bytes = body.ToList();
        for (var i = random.Next(1, 6); i > 0 && bytes.Count > 0; i--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at)); break;
                case 2: bytes.InsertRange(at, "\r\n--"u8.ToArray()); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return bytes.ToArray();
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
