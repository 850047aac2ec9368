using MessagePack;

namespace Arc.Types;

/// <summary>Reads a <see cref="DataContract"/>'s wire form from untrusted bytes, with the one reader's policy.</summary>
internal static class ContractWire
{
    public static DataContract Read(ref MessagePackReader reader, string path)
    {
        var map = WireMap.Open(ref reader, path, tag: null);
        ValueContract? x = null, y = null;
        while (map.NextKey(ref reader, out var key))
        {
            switch (key)
            {
                case "x": x = ReadValue(ref reader, map.Path(key)); break;
                case "y": y = ReadValue(ref reader, map.Path(key)); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        return new DataContract(x, y);
    }

    private static ValueContract? ReadValue(ref MessagePackReader reader, string path)
    {
        if (WireReader.TryReadNil(ref reader, path)) return null;
        var map = WireMap.Open(ref reader, path, tag: null);
        string? kind = null;
        int? channels = null, height = null, width = null, maxLength = null;
        string? dtype = null;
        string[]? names = null;
        List<TableColumnContract>? columns = null;
        while (map.NextKey(ref reader, out var key))
        {
            string at = map.Path(key);
            switch (key)
            {
                case "kind": kind = WireReader.ReadString(ref reader, at); break;
                case "channels": channels = ReadSize(ref reader, at); break;
                case "height": height = ReadSize(ref reader, at); break;
                case "width": width = ReadSize(ref reader, at); break;
                case "max_length": maxLength = ReadSize(ref reader, at); break;
                case "dtype": dtype = WireReader.TryReadNil(ref reader, at) ? null : WireReader.ReadString(ref reader, at); break;
                case "names": names = WireReader.ReadStrings(ref reader, at); break;
                case "columns": columns = ReadColumns(ref reader, at); break;
                default: map.SkipValue(ref reader, key); break;
            }
        }
        string k = map.Required(kind, "kind");
        try
        {
            return k switch
            {
                "image" => new ImageContract(channels, height, width, dtype is null ? null : ParseDType(dtype)),
                "table" => new TableContract(map.Required(columns, "columns")),
                "text" => new TextContract(maxLength),
                "class" => NamesContract.ForClasses(map.Required(names, "names")),
                "label" => NamesContract.ForLabels(map.Required(names, "names")),
                _ => throw map.Error($"'{k}' is not a contract kind (image, table, text, class, label)"),
            };
        }
        catch (ArgumentException e)
        {
            throw WireReader.Error(path, e.Message, e);
        }
    }

    private static List<TableColumnContract> ReadColumns(ref MessagePackReader reader, string path)
    {
        int count = WireReader.ReadArrayHeader(ref reader, path);
        var columns = new List<TableColumnContract>(Math.Min(count, 1024));
        for (int i = 0; i < count; i++)
        {
            string at = WireReader.Element(path, i);
            var map = WireMap.Open(ref reader, at, tag: null);
            string? name = null, dtype = null;
            while (map.NextKey(ref reader, out var key))
            {
                switch (key)
                {
                    case "name": name = WireReader.ReadString(ref reader, map.Path(key)); break;
                    case "dtype": dtype = WireReader.ReadString(ref reader, map.Path(key)); break;
                    default: map.SkipValue(ref reader, key); break;
                }
            }
            string n = map.Required(name, "name"), d = map.Required(dtype, "dtype");
            try { columns.Add(new TableColumnContract(n, d)); }
            catch (ArgumentException e) { throw WireReader.Error(at, e.Message, e); }
        }
        return columns;
    }

    private static int? ReadSize(ref MessagePackReader reader, string path)
        => WireReader.TryReadNil(ref reader, path) ? null : WireReader.ReadInt32(ref reader, path, min: 1);

    private static ArcDType ParseDType(string name)
        => ArcDTypes.TryParse(name, out var d) ? d : throw new ArgumentException($"'{name}' is not a dtype");
}
