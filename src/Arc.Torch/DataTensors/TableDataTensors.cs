using TorchSharp;
using Arc.Types;

namespace Arc.Torch;

/// <summary>
/// <see cref="TableData"/> to and from TorchSharp tensors. The conversions live here, not on the type, so that a program
/// which only calls remote models needs no TorchSharp; <c>using Arc.Torch;</c> brings them in.
/// </summary>
public static class TableDataTensors
{
    extension(TableData)
    {
        /// <summary>A table from an N×F tensor: one numeric column per feature (dtype kept), named by <paramref name="columnNames"/>.</summary>
        public static TableData FromTensor(torch.Tensor features, IReadOnlyList<string> columnNames)
        {
            ArgumentNullException.ThrowIfNull(columnNames);
            if (features.dim() != 2 || features.shape[1] != columnNames.Count)
                throw new ArgumentException($"features must be N×F with F={columnNames.Count} names; got shape [{string.Join(", ", features.shape)}]", nameof(features));
            int rows = checked((int)features.shape[0]);
            // Transposed, each feature is one contiguous row, so every column is one bulk slice.
            using var transposed = features.t();
            var byFeature = transposed.ToArcArray();
            var columns = new TableColumn[columnNames.Count];
            for (int f = 0; f < columns.Length; f++)
                columns[f] = TableColumn.FromArray(columnNames[f], byFeature.SliceRows(f, 1).Reshape(rows));
            return new TableData(rows, columns);
        }
    }

    extension(TableData table)
    {
        /// <summary>
        /// Numeric and bool columns as an N×F float32 tensor on <paramref name="device"/>, in the order of
        /// <paramref name="columns"/> (default: every non-string column, in table order).
        /// </summary>
        public torch.Tensor ToTensor(torch.Device? device = null, IReadOnlyList<string>? columns = null)
        {
            var picked = columns is null ? table.Columns.Where(c => !c.IsString).ToList() : columns.Select(n => table[n]).ToList();
            foreach (var c in picked)
                if (c.IsString) throw new ArgumentException($"column '{c.Name}' holds strings and has no numeric tensor form", nameof(columns));
            if (picked.Count == 0) return torch.zeros(new long[] { table.Count, 0 }, torch.ScalarType.Float32, device);
            using var scope = torch.NewDisposeScope();
            var parts = picked.Select(c => c.Values!.ToTensor().to_type(torch.ScalarType.Float32)).ToArray();
            var stacked = torch.stack(parts, 1);
            var result = device is null || device.type == DeviceType.CPU ? stacked : stacked.to(device);
            return result.MoveToOuterDisposeScope();
        }
    }
}
