"""A small addition to nbgrader's autograde pipeline.

nbgrader's own ``LimitOutput`` caps the number of output *lines*; a
submission that prints one enormous line (or megabytes without newlines)
would still bloat the autograded notebook and the feedback page.
``LimitOutputSize`` also caps the characters kept per cell output.
"""
from nbgrader.preprocessors import LimitOutput
from traitlets import Integer


class LimitOutputSize(LimitOutput):
    """LimitOutput, plus at most ``max_chars`` characters of text per output."""

    max_chars = Integer(100_000, help="maximum characters kept of one text output").tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream" and len(output.text) > self.max_chars:
                output.text = output.text[:self.max_chars] + "\n... Output truncated (too large) ...\n"
            for mime, value in dict(output.get("data", {})).items():
                if mime.startswith("text/") and isinstance(value, str) and len(value) > self.max_chars:
                    output.data[mime] = value[:self.max_chars] + "\n... Output truncated (too large) ..."
        return cell, resources
