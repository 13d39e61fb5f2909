"""Chapter 7 - conv_output_shape.

Write conv_output_shape(input_size, kernel_size, stride=1, padding=0): the (height, width) of
a convolution's (or pooling's) output. Read the lesson with `tutor start`;
`tutor hint chapter7/conv_output_shape` when stuck.
Grade it with: tutor check chapter7/conv_output_shape
"""


def conv_output_shape(input_size, kernel_size, stride=1, padding=0) -> tuple[int, int]:
    """Each argument is an int (same for height and width) or an (h, w) pair; padding is per side.

    Returns (out_h, out_w) as ints; raises ValueError when the kernel does not fit into the
    padded input.
    """
    raise NotImplementedError("conv_output_shape: write me")
