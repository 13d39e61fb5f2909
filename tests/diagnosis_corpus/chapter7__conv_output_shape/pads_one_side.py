# mistake: adds the padding once (n + p - k) instead of on both sides (n + 2p - k)
def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    if isinstance(input_size, int):
        input_size = (input_size, input_size)
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if isinstance(stride, int):
        stride = (stride, stride)
    if isinstance(padding, int):
        padding = (padding, padding)
    out = []
    for n, k, s, p in zip(input_size, kernel_size, stride, padding):
        if k > n + 2 * p:
            raise ValueError(f"kernel {k} does not fit into {n} padded by {p}")
        out.append((n + p - k) // s + 1)
    return tuple(out)
