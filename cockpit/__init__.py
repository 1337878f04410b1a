"""开发区领导驾驶舱: data, queries and pure computations behind the Streamlit pages."""
