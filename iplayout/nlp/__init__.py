"""Text normalisation, segmentation and entity extraction for Chinese and English IP documents."""
