package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Gather (an embedding lookup) as an indirect DMA: per output tile, the indices are loaded to
 * SBUF, then each output element is fetched from the table row its index names. Which row is
 * data-dependent, so the fetch is a <em>may</em>-read of the whole gathered axis:
 *
 * <pre>
 * idx[p, …] ← DMA I[…]
 * y[p, …]   ← DMA data[…, row, …]   with row = idx[…] (may-read: 0 ≤ row < data.shape[axis])
 * Y[…]      ← DMA y
 * </pre>
 * Negative indices count from the end, as in ONNX.
 */
final class GatherLowering {
    private GatherLowering() {}

    static void lower(NodeLowering n) {
        List<Long> data = n.inShape(0);
        List<Long> idx = n.inShape(1);
        List<Long> y = n.outShape(0);
        long axisAttr = n.intAttr("axis", 0);
        int axis = (int) (axisAttr < 0 ? axisAttr + data.size() : axisAttr);
        int pa = TileSpace.choosePartitionAxis(y, n.partitions(), Set.of());
        long freeElements = n.program().spec().sbufBytesPerPartition() / 2 / ElementType.I64.bytes();
        TileSpace ts = TileSpace.plan("", y, pa, n.partitions(), freeElements, Set.of());
        int[] idxMap = new int[idx.size()];
        for (int q = 0; q < idx.size(); q++) {
            idxMap[q] = axis + q;
        }
        Set<Integer> idxUsed = ElementwiseLowering.usedAxes(idx, idxMap, y);
        String idxSb = ElementwiseLowering.loadTile(n, ts, 1, "idx", idxMap, idxUsed, 0);
        Set<Integer> all = ts.all();
        String ySb = n.sbuf("y", n.outType(0), ts.tileShape(all));
        List<Expr> src = new ArrayList<>();
        for (int q = 0; q < data.size(); q++) {
            if (q < axis) {
                src.add(ts.axis(q).global());
            } else if (q == axis) {
                src.add(Expr.var("row"));
            } else {
                src.add(ts.axis(q - 1 + idx.size()).global());
            }
        }
        Access table = new Access(n.inDram(0), src, List.of(Iterator.range("row", data.get(axis))), true);
        n.stmt("gather", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.GATHER))
                .domain(ts.domain(all, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), 1, ts.intraIterators(all)))
                .write(ySb, ts.local(all)).read(idxSb, ts.local(idxUsed)).read(table).add();
        ElementwiseLowering.store(n, ts, ySb, 0, 2);
    }
}
